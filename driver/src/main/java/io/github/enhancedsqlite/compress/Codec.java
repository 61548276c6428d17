package io.github.enhancedsqlite.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import java.nio.charset.StandardCharsets;

/**
 * Compresses values into envelopes and back, for one connection at a time (zstd contexts are not thread-safe;
 * each physical connection owns one codec). Frames carry their content size and a checksum, so a damaged value
 * is detected rather than returned.
 */
public final class Codec implements AutoCloseable {

    private final int level;
    private final Dictionaries dictionaries;
    /** The connection this codec serves, for fetching a dictionary another process stored. */
    private final java.sql.Connection connection;
    private final ZstdCompressCtx plainCompressor;
    private final ZstdCompressCtx dictionaryCompressor;
    private final ZstdDecompressCtx plainDecompressor = new ZstdDecompressCtx();
    private final ZstdDecompressCtx dictionaryDecompressor = new ZstdDecompressCtx();
    private int compressorDictionary;
    private int decompressorDictionary;

    Codec(int level, Dictionaries dictionaries, java.sql.Connection connection) {
        this.level = level;
        this.dictionaries = dictionaries;
        this.connection = connection;
        this.plainCompressor = compressor(level);
        this.dictionaryCompressor = compressor(level);
    }

    private static ZstdCompressCtx compressor(int level) {
        return new ZstdCompressCtx().setLevel(level).setChecksum(true).setContentSize(true).setDictID(false);
    }

    /**
     * The envelope of a value bound for a compressed column, or null when compressing would not make it smaller
     * and the raw value can be stored as it is (a BLOB that begins with the magic is escaped instead).
     */
    public byte[] encode(byte[] raw, boolean blob, int dictionaryId) {
        byte[] compressed = compress(raw, blob, dictionaryId);
        if (compressed != null) {
            return compressed;
        }
        return blob && Envelope.looksLikeEnvelope(raw) ? Envelope.escape(raw) : null;
    }

    public byte[] encode(String text, int dictionaryId) {
        return encode(text.getBytes(StandardCharsets.UTF_8), false, dictionaryId);
    }

    private byte[] compress(byte[] raw, boolean blob, int dictionaryId) {
        ZstdCompressCtx compressor = plainCompressor;
        if (dictionaryId != 0) {
            ZstdDictCompress dictionary = dictionaries.forCompression(dictionaryId, level);
            if (dictionary != null) {
                if (compressorDictionary != dictionaryId) {
                    dictionaryCompressor.loadDict(dictionary);
                    compressorDictionary = dictionaryId;
                }
                compressor = dictionaryCompressor;
            } else {
                dictionaryId = 0;
            }
        }
        byte[] target = new byte[Envelope.HEADER_BYTES + (int) Zstd.compressBound(raw.length)];
        int size = compressor.compressByteArray(target, Envelope.HEADER_BYTES, target.length - Envelope.HEADER_BYTES,
                raw, 0, raw.length);
        int total = Envelope.HEADER_BYTES + size;
        if (total >= raw.length) {
            return null;
        }
        Envelope.writeHeader(target, blob, Envelope.PAYLOAD_ZSTD, dictionaryId);
        byte[] envelope = new byte[total];
        System.arraycopy(target, 0, envelope, 0, total);
        return envelope;
    }

    /**
     * The original value of an envelope: a String for TEXT, a byte[] for BLOB.
     *
     * @throws CorruptValueException when the envelope cannot be decoded; {@code where} names the value
     */
    public Object decode(byte[] envelope, String where) throws CorruptValueException {
        if (envelope.length < Envelope.HEADER_BYTES || Envelope.version(envelope) != Envelope.VERSION) {
            throw new CorruptValueException("Compressed value " + where + " has an unknown envelope format (version "
                    + Envelope.version(envelope) + ")", null);
        }
        byte[] raw = Envelope.payload(envelope) == Envelope.PAYLOAD_RAW ? rawPayload(envelope) : inflate(envelope, where);
        return Envelope.isBlob(envelope) ? raw : new String(raw, StandardCharsets.UTF_8);
    }

    private static byte[] rawPayload(byte[] envelope) {
        byte[] raw = new byte[envelope.length - Envelope.HEADER_BYTES];
        System.arraycopy(envelope, Envelope.HEADER_BYTES, raw, 0, raw.length);
        return raw;
    }

    private byte[] inflate(byte[] envelope, String where) throws CorruptValueException {
        int dictionaryId = Envelope.dictionaryId(envelope);
        try {
            ZstdDecompressCtx decompressor = plainDecompressor;
            if (dictionaryId != 0) {
                ZstdDictDecompress dictionary = dictionaries.forDecompression(dictionaryId);
                if (dictionary == null && dictionaries.fetch(dictionaryId, connection)) {
                    dictionary = dictionaries.forDecompression(dictionaryId);
                }
                if (dictionary == null) {
                    throw new CorruptValueException("Compressed value " + where + " needs dictionary " + dictionaryId
                            + ", which this database does not hold", null);
                }
                if (decompressorDictionary != dictionaryId) {
                    dictionaryDecompressor.loadDict(dictionary);
                    decompressorDictionary = dictionaryId;
                }
                decompressor = dictionaryDecompressor;
            }
            int frameLength = envelope.length - Envelope.HEADER_BYTES;
            long size = Zstd.getFrameContentSize(envelope, Envelope.HEADER_BYTES, frameLength);
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new CorruptValueException("Compressed value " + where + " has a damaged zstd frame header", null);
            }
            byte[] raw = new byte[(int) size];
            int written = decompressor.decompressByteArray(raw, 0, raw.length, envelope, Envelope.HEADER_BYTES,
                    frameLength);
            if (written != raw.length) {
                throw new CorruptValueException("Compressed value " + where + " is truncated", null);
            }
            return raw;
        } catch (ZstdException e) {
            throw new CorruptValueException("Compressed value " + where + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        plainCompressor.close();
        dictionaryCompressor.close();
        plainDecompressor.close();
        dictionaryDecompressor.close();
    }
}
