package io.github.enhancedsqlite.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Compresses values into envelopes and back, for one connection at a time (zstd contexts are not thread-safe;
 * each physical connection owns one codec). Frames carry their content size, and the envelope a check of its header
 * and of the original value (format version 1: zstd's checksum of the content), so a damaged value is detected
 * rather than returned.
 */
public final class Codec implements AutoCloseable {

    private final Levels levels;
    private final Dictionaries dictionaries;
    /** The connection this codec serves, for fetching a dictionary another process stored. */
    private final java.sql.Connection connection;
    // Made at first use: a connection that never meets a compressed value never loads zstd's native library (a
    // short-lived process would pay tens of milliseconds for it). Null until then.
    private ZstdCompressCtx plainCompressor;
    private ZstdCompressCtx dictionaryCompressor;
    private ZstdDecompressCtx plainDecompressor;
    private ZstdDecompressCtx dictionaryDecompressor;
    /** The level the plain compressor is set to: it changes with the value's size (see {@link Levels}). */
    private int plainLevel;
    /** The digested dictionary the dictionary compressor references: one per dictionary and level. */
    private ZstdDictCompress compressorDictionary;
    /** The digested dictionary the dictionary decompressor references (an instance: an id may be forgotten). */
    private ZstdDictDecompress decompressorDictionary;
    /**
     * Where values up to {@value #MAX_SCRATCH_BYTES} bytes are compressed before the envelope is cut to size: a new
     * array of the worst-case size per value, zeroed by the JVM, cost as much as a tenth of the codec's time on the
     * upsert path. Grown on demand; larger values get an array of their own, so a connection holds at most this much.
     */
    private byte[] scratch = new byte[0];
    private static final int MAX_SCRATCH_BYTES = 64 * 1024;
    /** TEXT values decoded lately, by envelope; null when the connection keeps none. */
    private final DecodedValues decoded;
    /** Values the connection's decoded copies hold that begin like an envelope. */
    private final CopiedLookalikes copiedLookalikes = new CopiedLookalikes();

    Codec(Levels levels, Dictionaries dictionaries, java.sql.Connection connection) {
        this(levels, dictionaries, connection, 0);
    }

    /** @param decodedBytes how many bytes of recently decoded TEXT values to keep (0: none) */
    Codec(Levels levels, Dictionaries dictionaries, java.sql.Connection connection, long decodedBytes) {
        this.levels = levels;
        this.dictionaries = dictionaries;
        this.connection = connection;
        this.decoded = decodedBytes > 0 ? new DecodedValues(decodedBytes) : null;
    }

    private static ZstdCompressCtx compressor(int level) {
        ZstdLibrary.load();
        // no zstd checksum: the envelope's own check covers the content and the header (see Envelope)
        return new ZstdCompressCtx().setLevel(level).setChecksum(false).setContentSize(true).setDictID(false);
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
        int level = levels.forSize(raw.length);
        ZstdDictCompress dictionary = dictionaryId == 0 ? null : dictionaries.forCompression(dictionaryId, level);
        ZstdCompressCtx compressor;
        if (dictionary != null) {
            if (dictionaryCompressor == null) {
                dictionaryCompressor = compressor(level);
            }
            if (compressorDictionary != dictionary) {
                // a digested dictionary carries its level, which then supersedes the context's
                dictionaryCompressor.loadDict(dictionary);
                compressorDictionary = dictionary;
            }
            compressor = dictionaryCompressor;
        } else {
            dictionaryId = 0;
            if (plainCompressor == null) {
                plainCompressor = compressor(level);
                plainLevel = level;
            } else if (plainLevel != level) {
                plainCompressor.setLevel(level);
                plainLevel = level;
            }
            compressor = plainCompressor;
        }
        byte[] target = target(Envelope.HEADER_BYTES + (int) Zstd.compressBound(raw.length));
        int size = compressor.compressByteArray(target, Envelope.HEADER_BYTES, target.length - Envelope.HEADER_BYTES,
                raw, 0, raw.length);
        int total = Envelope.HEADER_BYTES + size;
        if (total >= raw.length) {
            return null;
        }
        byte[] envelope = Arrays.copyOf(target, total);
        Envelope.writeHeader(envelope, blob, Envelope.PAYLOAD_ZSTD, dictionaryId);
        Envelope.writeCheck(envelope, raw);
        return envelope;
    }

    /** An array of at least {@code bytes} to compress into: the scratch array, or a new one for a large value. */
    private byte[] target(int bytes) {
        if (bytes > MAX_SCRATCH_BYTES) {
            return new byte[bytes];
        }
        if (scratch.length < bytes) {
            scratch = new byte[Math.max(bytes, Math.min(MAX_SCRATCH_BYTES, scratch.length * 2))];
        }
        return scratch;
    }

    /**
     * The original of a stored BLOB that is an envelope, else the stored bytes: what a reader's check compares (a
     * damaged envelope compares by its bytes; reading it fails for the application anyway).
     */
    public Object originalOrStored(byte[] stored) {
        if (!isEnvelope(stored, (String) null)) {
            return stored;
        }
        try {
            return decode(stored, "being read again");
        } catch (CorruptValueException e) {
            return stored;
        }
    }

    /**
     * Whether a stored value is an envelope: it begins like one, and is not a value a decoded copy of the table holds
     * ({@link CopiedLookalikes}).
     *
     * @param column "table.column" the value was read from; null when unknown
     */
    public boolean isEnvelope(byte[] stored, String column) {
        return Envelope.looksLikeEnvelope(stored)
                && (copiedLookalikes.isEmpty() || !copiedLookalikes.holds(stored, column));
    }

    /**
     * As {@link #isEnvelope(byte[], String)}, for a value read from {@code column}: the column's name is spelled out
     * only while copies hold lookalikes, as a getter decoding a point read calls this for every value.
     */
    public boolean isEnvelope(byte[] stored, ColumnRef column) {
        return Envelope.looksLikeEnvelope(stored)
                && (copiedLookalikes.isEmpty() || !copiedLookalikes.holds(stored, column.table() + "." + column.column()));
    }

    CopiedLookalikes copiedLookalikes() {
        return copiedLookalikes;
    }

    /**
     * The original value of an envelope: a String for TEXT, a byte[] for BLOB.
     *
     * @throws CorruptValueException when the envelope cannot be decoded; {@code where} names the value
     */
    public Object decode(byte[] envelope, String where) throws CorruptValueException {
        String known = decoded != null ? decoded.get(envelope) : null;
        if (known != null) {
            return known;
        }
        int version = Envelope.version(envelope);
        if (version != Envelope.VERSION && version != Envelope.VERSION_1) {
            throw new CorruptValueException("Compressed value " + where + " has an unknown envelope format (version "
                    + version + "): it is damaged, or was written by a newer driver", null);
        }
        int headerBytes = Envelope.headerBytes(envelope);
        if (envelope.length < headerBytes) {
            throw new CorruptValueException("Compressed value " + where + " is damaged: " + envelope.length
                    + " bytes, shorter than its " + headerBytes + "-byte header", null);
        }
        if (!Envelope.validFlags(envelope)) {
            throw new CorruptValueException("Compressed value " + where + " has a damaged header (flags 0x"
                    + Integer.toHexString(envelope[5] & 0xFF) + ")", null);
        }
        byte[] raw = Envelope.payload(envelope) == Envelope.PAYLOAD_RAW ? rawPayload(envelope, headerBytes)
                : inflate(envelope, headerBytes, where);
        if (version == Envelope.VERSION && Envelope.check(envelope, raw) != Envelope.storedCheck(envelope)) {
            throw new CorruptValueException("Compressed value " + where + " is damaged: its check does not match"
                    + " its header and content", null);
        }
        if (Envelope.isBlob(envelope)) {
            return raw; // not kept: the caller may change the array it gets
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        if (decoded != null && Envelope.payload(envelope) == Envelope.PAYLOAD_ZSTD) {
            decoded.put(envelope, text);
        }
        return text;
    }

    private static byte[] rawPayload(byte[] envelope, int headerBytes) {
        byte[] raw = new byte[envelope.length - headerBytes];
        System.arraycopy(envelope, headerBytes, raw, 0, raw.length);
        return raw;
    }

    private byte[] inflate(byte[] envelope, int headerBytes, String where) throws CorruptValueException {
        int dictionaryId = Envelope.dictionaryId(envelope);
        try {
            if (plainDecompressor == null) {
                ZstdLibrary.load();
                plainDecompressor = new ZstdDecompressCtx();
            }
            ZstdDecompressCtx decompressor = plainDecompressor;
            if (dictionaryId != 0) {
                ZstdDictDecompress dictionary = dictionaries.forDecompression(dictionaryId);
                if (dictionary == null && dictionaries.fetch(dictionaryId, connection)) {
                    dictionary = dictionaries.forDecompression(dictionaryId);
                }
                if (dictionary == null) {
                    throw new CorruptValueException("Compressed value " + where + " needs dictionary " + dictionaryId
                            + ", which this database does not hold (or the value's header is damaged)", null);
                }
                if (dictionaryDecompressor == null) {
                    dictionaryDecompressor = new ZstdDecompressCtx();
                }
                if (decompressorDictionary != dictionary) {
                    dictionaryDecompressor.loadDict(dictionary);
                    decompressorDictionary = dictionary;
                }
                decompressor = dictionaryDecompressor;
            }
            int frameLength = envelope.length - headerBytes;
            long size = Zstd.getFrameContentSize(envelope, headerBytes, frameLength);
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new CorruptValueException("Compressed value " + where + " has a damaged zstd frame header", null);
            }
            byte[] raw = new byte[(int) size];
            int written = decompressor.decompressByteArray(raw, 0, raw.length, envelope, headerBytes, frameLength);
            if (written != raw.length) {
                throw new CorruptValueException("Compressed value " + where + " is truncated", null);
            }
            return raw;
        } catch (ZstdException e) {
            throw new CorruptValueException("Compressed value " + where + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Frees the zstd contexts, each whatever the others do: zstd-jni refuses to close a context it considers in use,
     * and that one is left to the garbage collector rather than taking the others with it.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable context : new AutoCloseable[] {plainCompressor, dictionaryCompressor, plainDecompressor,
                dictionaryDecompressor}) {
            try {
                if (context != null) {
                    context.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("A zstd context could not be freed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
