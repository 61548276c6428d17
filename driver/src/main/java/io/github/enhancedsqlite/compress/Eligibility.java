package io.github.enhancedsqlite.compress;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Which columns of a table the driver may compress, for tools outside this package (the command-line
 * {@code migrate}): the same rules, from a fresh read of the schema.
 */
public final class Eligibility {

    private Eligibility() {
    }

    /** Lower-case names of the table's columns that may hold compressed values; empty for a missing table. */
    public static Set<String> compressibleColumns(Connection connection, String table) throws SQLException {
        return new Schema().table(connection, table).compressible();
    }

    /** Whether {@code rowid} names the table's rows (not a WITHOUT ROWID table, no column called rowid). */
    public static boolean hasRowid(Connection connection, String table) throws SQLException {
        return new Schema().table(connection, table).hasRowid();
    }
}
