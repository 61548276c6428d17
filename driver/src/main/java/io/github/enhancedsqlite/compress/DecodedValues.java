package io.github.enhancedsqlite.compress;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TEXT values one connection decoded most recently, by their stored envelope: a search that reads every value
 * of a column again ({@code LIKE '%…%'}, which decompresses each row inside SQLite) finds them decoded instead of
 * decompressing them again. An entry is found only for the very bytes it was decoded from (compared in full), which
 * decoded and checked then, so a hit returns exactly what decoding would; a changed row is a different envelope.
 * Bounded in bytes, least recently used first out; owned by one connection's {@link Codec}, so not thread-safe.
 */
final class DecodedValues {

    /** A value larger than this share of the budget would push out everything else: it is not kept. */
    private static final int LARGEST_SHARE = 4;
    private static final int ENTRY_OVERHEAD_BYTES = 64;

    private final long budgetBytes;
    private long heldBytes;
    private final LinkedHashMap<Key, String> values = new LinkedHashMap<>(256, 0.75f, true);

    /** An envelope as a key: its stored check (a CRC32C of header and value) makes the hash, equality is full. */
    private record Key(byte[] envelope, int hash) {

        static Key of(byte[] envelope) {
            int check = envelope.length >= Envelope.HEADER_BYTES ? Envelope.storedCheck(envelope) : 0;
            return new Key(envelope, check * 31 + envelope.length);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == hash && Arrays.equals(key.envelope, envelope);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    DecodedValues(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The text decoded from exactly these envelope bytes, or null. */
    String get(byte[] envelope) {
        return values.get(Key.of(envelope));
    }

    /** Keeps a text decoded (and checked) from these envelope bytes (copied: the caller's array may change). */
    void put(byte[] envelope, String text) {
        long bytes = cost(envelope, text);
        if (bytes > budgetBytes / LARGEST_SHARE) {
            return;
        }
        if (values.put(Key.of(envelope.clone()), text) == null) {
            heldBytes += bytes;
        }
        Iterator<Map.Entry<Key, String>> oldest = values.entrySet().iterator();
        while (heldBytes > budgetBytes && oldest.hasNext()) {
            Map.Entry<Key, String> entry = oldest.next();
            heldBytes -= cost(entry.getKey().envelope(), entry.getValue());
            oldest.remove();
        }
    }

    private static long cost(byte[] envelope, String text) {
        return (long) envelope.length + text.length() + ENTRY_OVERHEAD_BYTES;
    }
}
