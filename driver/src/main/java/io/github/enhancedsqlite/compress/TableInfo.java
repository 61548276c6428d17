package io.github.enhancedsqlite.compress;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the rewriter needs to know of one table: its columns in declaration order and which of them may hold
 * compressed values.
 *
 * @param name       the table's name as declared
 * @param columns    visible columns in order, as declared (this is what {@code *} expands to)
 * @param compressible lower-case names of the columns that may be compressed
 * @param textAffinity lower-case names of the columns with TEXT affinity
 * @param hasRowid   whether {@code rowid} names the row (not a WITHOUT ROWID table, no column shadows it)
 */
record TableInfo(String name, List<String> columns, Set<String> compressible, Set<String> textAffinity,
                 boolean hasRowid) {

    static final TableInfo MISSING = new TableInfo("", List.of(), Set.of(), Set.of(), false);

    boolean exists() {
        return !columns.isEmpty();
    }

    boolean has(String column) {
        for (String candidate : columns) {
            if (candidate.equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    boolean hasTextAffinity(String column) {
        return textAffinity.contains(column.toLowerCase(Locale.ROOT));
    }

    boolean isCompressible(String column) {
        return compressible.contains(column.toLowerCase(Locale.ROOT));
    }
}
