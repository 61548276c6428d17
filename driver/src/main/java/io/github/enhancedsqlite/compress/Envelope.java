package io.github.enhancedsqlite.compress;

import java.util.zip.CRC32C;

/**
 * The stored form of a value in a compressed column, always a BLOB:
 *
 * <pre>
 * offset 0  4 bytes  magic EC 45 53 5A ("\xECESZ"), see {@link StoredFormat}
 *        4  1 byte   format version (2; version 1 is still read)
 *        5  1 byte   bit 0: original type (0 TEXT in UTF-8, 1 BLOB); bit 1: set in every version-2 envelope;
 *                    bits 4-7: payload (0 zstd frame, 1 raw bytes); other bits 0
 *        6  4 bytes  dictionary id, big-endian (0: none)
 *       10  4 bytes  check, big-endian: CRC32C of bytes 0-9 and of the original value  (version 2 only)
 *       14  ...      payload: a zstd frame with its content size, or the raw bytes  (version 1: from offset 10, the
 *                    zstd frame with zstd's own checksum of the content, the raw bytes with no check)
 * </pre>
 *
 * Version 2's check covers the header as well as the value, so a damaged type, payload kind or dictionary id is
 * detected rather than read as a different value. Bit 1 of the flags makes a version-2 envelope whose version
 * byte was damaged to 1 invalid as version 1 (which would otherwise return a raw payload with the check in front).
 * TEXT values are never taken for envelopes; a raw BLOB that happens to begin with the magic is stored inside a
 * raw-payload envelope, so every value reads back exactly as written.
 */
public final class Envelope {

    static final byte[] MAGIC = StoredFormat.MAGIC;
    static final byte VERSION = StoredFormat.VERSION;
    static final byte VERSION_1 = StoredFormat.VERSION_1;
    static final int VERSION_1_HEADER_BYTES = 10;
    /** The bytes the check is computed over: magic, version, flags, dictionary id. */
    static final int CHECKED_BYTES = 10;
    static final int HEADER_BYTES = 14;
    static final int TYPE_BLOB = 1;
    static final int CHECKED = 1 << 1;
    static final int PAYLOAD_ZSTD = 0;
    static final int PAYLOAD_RAW = 1 << 4;
    private static final int VERSION_1_FLAGS = TYPE_BLOB | PAYLOAD_RAW;
    private static final int VERSION_2_FLAGS = TYPE_BLOB | CHECKED | PAYLOAD_RAW;

    private Envelope() {
    }

    /** Whether a BLOB value is (or must be treated as) an envelope: it starts with the magic. */
    public static boolean looksLikeEnvelope(byte[] value) {
        if (value == null || value.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (value[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * For a BLOB that is not an envelope: the 1-based position of the one magic byte it differs in, when it looks
     * like an envelope whose magic was damaged (the other three magic bytes and a known format version in place);
     * 0 otherwise. Such a value reads back as its stored bytes, so only {@code verify} can point at it.
     */
    public static int damagedMagicByte(byte[] value) {
        if (value == null || value.length < VERSION_1_HEADER_BYTES || looksLikeEnvelope(value)
                || (value[4] != VERSION && value[4] != VERSION_1)) {
            return 0;
        }
        int differing = 0;
        for (int i = 0; i < MAGIC.length; i++) {
            if (value[i] != MAGIC[i]) {
                if (differing != 0) {
                    return 0;
                }
                differing = i + 1;
            }
        }
        return differing;
    }

    /** The value with its magic restored, for trying whether a damaged-looking BLOB decodes as an envelope. */
    public static byte[] withMagicRestored(byte[] value) {
        byte[] repaired = value.clone();
        System.arraycopy(MAGIC, 0, repaired, 0, MAGIC.length);
        return repaired;
    }

    /** Writes a version-2 header; the check is written by {@link #writeCheck} once the original is known. */
    static void writeHeader(byte[] target, boolean blob, int payload, int dictionaryId) {
        System.arraycopy(MAGIC, 0, target, 0, MAGIC.length);
        target[4] = VERSION;
        target[5] = (byte) ((blob ? TYPE_BLOB : 0) | CHECKED | payload);
        target[6] = (byte) (dictionaryId >>> 24);
        target[7] = (byte) (dictionaryId >>> 16);
        target[8] = (byte) (dictionaryId >>> 8);
        target[9] = (byte) dictionaryId;
    }

    static void writeCheck(byte[] envelope, byte[] original) {
        int check = check(envelope, original);
        envelope[10] = (byte) (check >>> 24);
        envelope[11] = (byte) (check >>> 16);
        envelope[12] = (byte) (check >>> 8);
        envelope[13] = (byte) check;
    }

    /** CRC32C of the header's first ten bytes and of the original value. */
    static int check(byte[] envelope, byte[] original) {
        CRC32C crc = new CRC32C();
        crc.update(envelope, 0, CHECKED_BYTES);
        crc.update(original, 0, original.length);
        return (int) crc.getValue();
    }

    static int storedCheck(byte[] envelope) {
        return ((envelope[10] & 0xFF) << 24) | ((envelope[11] & 0xFF) << 16) | ((envelope[12] & 0xFF) << 8)
                | (envelope[13] & 0xFF);
    }

    /** A raw-payload envelope: how a BLOB that begins with the magic is stored so it is not mistaken for one. */
    public static byte[] escape(byte[] raw) {
        byte[] envelope = new byte[HEADER_BYTES + raw.length];
        writeHeader(envelope, true, PAYLOAD_RAW, 0);
        System.arraycopy(raw, 0, envelope, HEADER_BYTES, raw.length);
        writeCheck(envelope, raw);
        return envelope;
    }

    /** Whether a stored value is an envelope of TEXT: the type a result column shows without compression. */
    public static boolean holdsText(byte[] stored) {
        return looksLikeEnvelope(stored) && stored.length > 5 && (stored[5] & TYPE_BLOB) == 0;
    }

    static int version(byte[] envelope) {
        return envelope.length > 4 ? envelope[4] : -1;
    }

    /** Where the payload starts, by format version. */
    static int headerBytes(byte[] envelope) {
        return version(envelope) == VERSION_1 ? VERSION_1_HEADER_BYTES : HEADER_BYTES;
    }

    /** Whether the flags byte holds only the bits its format version defines (and, in version 2, the check bit). */
    static boolean validFlags(byte[] envelope) {
        int flags = envelope[5] & 0xFF;
        return version(envelope) == VERSION_1 ? (flags & ~VERSION_1_FLAGS) == 0
                : (flags & ~VERSION_2_FLAGS) == 0 && (flags & CHECKED) != 0;
    }

    static boolean isBlob(byte[] envelope) {
        return (envelope[5] & TYPE_BLOB) != 0;
    }

    static int payload(byte[] envelope) {
        return envelope[5] & 0xF0;
    }

    static int dictionaryId(byte[] envelope) {
        return ((envelope[6] & 0xFF) << 24) | ((envelope[7] & 0xFF) << 16) | ((envelope[8] & 0xFF) << 8)
                | (envelope[9] & 0xFF);
    }
}
