package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.Levels;
import io.github.enhancedsqlite.compress.StoredFormat;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The compressed values of a database as stored, read through a plain connection: which columns the driver
 * recorded as holding envelopes, and a codec that decodes them with the database's own dictionaries.
 */
final class CompressedColumns {

    /** The driver's record of compressed columns (see compress/Catalog). */
    static final String CATALOG = StoredFormat.COLUMNS_TABLE;
    /** Stored values that begin with the envelope magic {@code EC 45 53 5A}. */
    static final String IS_ENVELOPE = StoredFormat.isEnvelope("%1$s");

    /**
     * Stored BLOBs that are not envelopes but begin with three of the magic's four bytes: envelopes whose magic may
     * have been damaged (see {@code Envelope.damagedMagicByte}, which looks further).
     */
    static final String NEAR_ENVELOPE = "typeof(%1$s) = 'blob' AND length(%1$s) >= 10"
            + " AND " + StoredFormat.differsFromMagicInOneByte("%1$s");

    interface EnvelopeVisitor {
        void visit(long rowid, byte[] stored) throws SQLException;
    }

    private CompressedColumns() {
    }

    /** The recorded columns, in table and column order; empty when the driver never compressed a value here. */
    static List<ColumnRef> recorded(Connection connection) throws SQLException {
        List<ColumnRef> columns = new ArrayList<>();
        if (!StoredFormat.tableExists(connection, CATALOG)) {
            return columns;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT table_name, column_name FROM " + CATALOG + " ORDER BY table_name, column_name")) {
            while (rows.next()) {
                columns.add(new ColumnRef(rows.getString(1), rows.getString(2)));
            }
        }
        return columns;
    }

    /**
     * A codec for this connection, with the database's dictionaries loaded. The compression it comes from is
     * off: nothing is compressed, the connection only learns to decode.
     */
    static Codec codec(Connection connection) throws SQLException {
        return new Compression(Compression.Mode.OFF, Set.of(), Integer.MAX_VALUE, Integer.MAX_VALUE, Levels.uniform(3), 0, new DatabaseMetrics("toolkit"))
                .attach(connection);
    }

    static long countEnvelopes(Connection connection, ColumnRef column) throws SQLException {
        if (!StoredFormat.tableExists(connection, column.table())) {
            return 0;
        }
        String name = DatabaseFile.quote(column.column());
        return DatabaseFile.number(connection, "SELECT count(*) FROM " + DatabaseFile.quote(column.table())
                + " WHERE " + String.format(IS_ENVELOPE, name));
    }

    /** Visits every envelope of a column in rowid order. */
    static void forEachEnvelope(Connection connection, ColumnRef column, EnvelopeVisitor visitor) throws SQLException {
        forEach(connection, column, IS_ENVELOPE, visitor);
    }

    /** Visits, in rowid order, the BLOBs of a column that may be envelopes with a damaged magic. */
    static void forEachNearEnvelope(Connection connection, ColumnRef column, EnvelopeVisitor visitor)
            throws SQLException {
        forEach(connection, column, NEAR_ENVELOPE, visitor);
    }

    private static void forEach(Connection connection, ColumnRef column, String condition, EnvelopeVisitor visitor)
            throws SQLException {
        if (!StoredFormat.tableExists(connection, column.table())) {
            return;
        }
        String name = DatabaseFile.quote(column.column());
        try (PreparedStatement select = connection.prepareStatement("SELECT rowid, " + name + " FROM "
                + DatabaseFile.quote(column.table()) + " WHERE " + String.format(condition, name) + " ORDER BY rowid");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                visitor.visit(rows.getLong(1), rows.getBytes(2));
            }
        }
    }

    /** The user's tables: not SQLite's own, not the driver's, not Litestream's. */
    static List<String> userTables(Connection connection) throws SQLException {
        return tables(connection, "NOT " + StoredFormat.sqliteTable("name") + " AND NOT "
                + StoredFormat.ownTable("name") + " AND NOT " + StoredFormat.litestreamTable("name"));
    }

    /** The tables Litestream keeps in a file it replicates (none in a file it never saw). */
    static List<String> litestreamTables(Connection connection) throws SQLException {
        return tables(connection, StoredFormat.litestreamTable("name"));
    }

    private static List<String> tables(Connection connection, String condition) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                     + condition + " ORDER BY name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
