package io.github.enhancedsqlite.compress;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The BLOBs beginning like an envelope that the decoded copies of one connection hold ({@link ShadowTables}). In the
 * tables they are stored escaped; in a copy they are the values themselves, already decoded, so a rewritten read of
 * the copy ({@value SqlRewriter#DECOMPRESS}, a getter decoding a result column) must return them as they are rather
 * than take them for envelopes. Found by their bytes and column: the table never stores those bytes in that row (it
 * holds the value escaped), and in another row only as the very envelope a value was written as, which a program
 * that bypasses the driver would have to have read and stored raw. One per connection (its {@link Codec}), filled
 * while copies exist and emptied when they are dropped.
 */
final class CopiedLookalikes {

    /** The values, by their bytes, with the columns ("table.column", lower case) they are in. */
    private final Map<ByteBuffer, Set<String>> columns = new HashMap<>();

    void add(String column, byte[] value) {
        columns.computeIfAbsent(ByteBuffer.wrap(value.clone()), bytes -> new HashSet<>())
                .add(column.toLowerCase(Locale.ROOT));
    }

    void clear() {
        columns.clear();
    }

    boolean isEmpty() {
        return columns.isEmpty();
    }

    /**
     * Whether {@code value} is one of them.
     *
     * @param column "table.column" as the read names it; null when the read names none, and then the bytes decide
     */
    boolean holds(byte[] value, String column) {
        Set<String> in = columns.get(ByteBuffer.wrap(value));
        return in != null && (column == null || in.contains(column.toLowerCase(Locale.ROOT)));
    }
}
