package io.github.enhancedsqlite.compress;


/**
 * The stored form of a value in a compressed column, always a BLOB:
 *
 * <pre>
 * offset 0  4 bytes  magic EC 45 53 5A ("\xECESZ")
 *        4  1 byte   format version (1)
 *        5  1 byte   bit 0: original type (0 TEXT in UTF-8, 1 BLOB); bits 4-7: payload (0 zstd frame, 1 raw bytes)
 *        6  4 bytes  dictionary id, big-endian (0: none)
 *       10  ...      payload: a zstd frame with content size and checksum, or the raw bytes
 * </pre>
 *
 * TEXT values are never taken for envelopes; a raw BLOB that happens to begin with the magic is stored inside a
 * raw-payload envelope, so every value reads back exactly as written.
 */
public final class Envelope {

    static final byte[] MAGIC = {(byte) 0xEC, 'E', 'S', 'Z'};
    static final byte VERSION = 1;
    static final int HEADER_BYTES = 10;
    static final int TYPE_BLOB = 1;
    static final int PAYLOAD_ZSTD = 0;
    static final int PAYLOAD_RAW = 1 << 4;

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

    static void writeHeader(byte[] target, boolean blob, int payload, int dictionaryId) {
        System.arraycopy(MAGIC, 0, target, 0, MAGIC.length);
        target[4] = VERSION;
        target[5] = (byte) ((blob ? TYPE_BLOB : 0) | payload);
        target[6] = (byte) (dictionaryId >>> 24);
        target[7] = (byte) (dictionaryId >>> 16);
        target[8] = (byte) (dictionaryId >>> 8);
        target[9] = (byte) dictionaryId;
    }

    /** A raw-payload envelope: how a BLOB that begins with the magic is stored so it is not mistaken for one. */
    public static byte[] escape(byte[] raw) {
        byte[] envelope = new byte[HEADER_BYTES + raw.length];
        writeHeader(envelope, true, PAYLOAD_RAW, 0);
        System.arraycopy(raw, 0, envelope, HEADER_BYTES, raw.length);
        return envelope;
    }

    /** Whether a stored value is an envelope of TEXT: the type a result column shows without compression. */
    public static boolean holdsText(byte[] stored) {
        return looksLikeEnvelope(stored) && stored.length > 5 && (stored[5] & TYPE_BLOB) == 0;
    }

    static int version(byte[] envelope) {
        return envelope.length > 4 ? envelope[4] : -1;
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
