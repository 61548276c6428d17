package io.github.enhancedsqlite.compress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** One table or derived table a scope of the statement being rewritten reads from. */
final class Source {
    final String name;
    /** Null for a derived table, a CTE or a function: its columns never hold compressed values. */
    final TableInfo table;
    /** SQLite's {@code excluded} row of an upsert: the values being inserted. */
    final boolean excluded;
    /** For a sub-query or CTE: its result columns that are a compressed TEXT column (lower-case). */
    final Set<String> textResults = new HashSet<>();
    /** For a sub-query or CTE: its result columns computed by an expression, which have no affinity. */
    final Set<String> computedResults = new HashSet<>();
    /** Lower-case names of the columns a USING or NATURAL join leaves out of {@code *}. */
    final Set<String> hiddenFromStar = new HashSet<>();

    private final SqlRewriter.Catalogue catalogue;

    Source(String name, TableInfo table, boolean excluded, SqlRewriter.Catalogue catalogue) {
        this.catalogue = catalogue;
        this.name = name;
        this.table = table != null && table.exists() ? table : null;
        this.excluded = excluded;
    }

    boolean isCompressed(String column) {
        return table != null && table.has(column)
                && catalogue.mayHoldCompressed(new ColumnRef(table.name(), column));
    }

    /** The columns {@code *} shows of this table: all for {@code t.*}, less those a join compared for {@code *}. */
    List<String> columnsOfStar(boolean joined) {
        if (!joined || hiddenFromStar.isEmpty()) {
            return table.columns();
        }
        List<String> shown = new ArrayList<>();
        for (String column : table.columns()) {
            if (!hiddenFromStar.contains(column.toLowerCase(Locale.ROOT))) {
                shown.add(column);
            }
        }
        return shown;
    }

    boolean hasCompressed() {
        if (table != null) {
            for (String column : table.columns()) {
                if (isCompressed(column)) {
                    return true;
                }
            }
        }
        return false;
    }

    String describeCompressed() {
        List<String> names = new ArrayList<>();
        if (table != null) {
            for (String column : table.columns()) {
                if (isCompressed(column)) {
                    names.add(table.name() + "." + column);
                }
            }
        }
        return "compressed column " + String.join(", ", names);
    }

    String qualifier() {
        return name != null ? name : table.name();
    }

    boolean matches(String qualifier) {
        return (name != null && name.equalsIgnoreCase(qualifier))
                || (table != null && !excluded && table.name().equalsIgnoreCase(qualifier));
    }
}
