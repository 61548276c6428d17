package io.github.enhancedsqlite.compress;

import java.util.Locale;

/** A column of a table, compared without regard to case as SQLite compares names. */
public record ColumnRef(String table, String column) {

    public ColumnRef {
        table = table.toLowerCase(Locale.ROOT);
        column = column.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code table.column}; null when the text has no single dot between two names. */
    public static ColumnRef parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.indexOf('.', dot + 1) >= 0) {
            return null;
        }
        return new ColumnRef(text.substring(0, dot).trim(), text.substring(dot + 1).trim());
    }

    // written out: a record's generated equals and hashCode are bootstrapped through invokedynamic at their first
    // call, which a short-lived process pays at its first compressed write
    @Override
    public boolean equals(Object other) {
        return other instanceof ColumnRef && table.equals(((ColumnRef) other).table)
                && column.equals(((ColumnRef) other).column);
    }

    @Override
    public int hashCode() {
        return 31 * table.hashCode() + column.hashCode();
    }

    @Override
    public String toString() {
        return table + "." + column;
    }
}
