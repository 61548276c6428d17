package io.github.enhancedsqlite.bench;

import io.github.enhancedsqlite.compress.StoredFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one database spends on one text column, in the bytes SQLite stores — not the values the enhanced driver
 * would decode them to. Always read through raw sqlite-jdbc, which knows nothing of envelopes: a compressed value
 * is counted as its envelope, a plain one as its UTF-8 (TEXT) or raw (BLOB) bytes.
 *
 * @param rows            rows of the table
 * @param valueBytes      stored bytes of the column, {@code SUM(length(CAST(col AS BLOB)))}
 * @param envelopes       values stored as envelopes (a BLOB beginning with the envelope magic)
 * @param dictionaryBytes the zstd dictionaries the driver trained for this column, needed to read its values
 * @param fileBytes       the database file after checkpoint and VACUUM (everything: other columns, indexes, the
 *                        driver's own tables)
 */
record ValueStorage(long rows, long valueBytes, long envelopes, long dictionaryBytes, long fileBytes) {

    /** The first bytes of every envelope (the driver's {@code compress/Envelope} format, version 1). */
    static final String ENVELOPE_MAGIC_HEX = StoredFormat.MAGIC_HEX;
    static final String DICTIONARY_TABLE = StoredFormat.DICTIONARIES_TABLE;

    /** What a reader of this column needs stored: the values and the dictionaries they were compressed with. */
    long valueBytesWithDictionaries() {
        return valueBytes + dictionaryBytes;
    }

    /**
     * Checkpoints and VACUUMs the database (no pool may hold it open), then counts. The file is compacted first
     * so that both sides' file sizes are free of pages left over from how they were written.
     */
    static ValueStorage measure(Path database, String table, String column) throws SQLException, IOException {
        try (Connection plain = DriverManager.getConnection(Workspace.RAW_PREFIX + database)) {
            for (String sql : new String[] {"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"}) {
                try (Statement statement = plain.createStatement()) {
                    statement.execute(sql); // closing the statement ends the pragma's result row, or COMMIT fails
                }
            }
            long[] counted = count(plain, table, column);
            long dictionaries = dictionaryBytes(plain, table, column);
            return new ValueStorage(counted[0], counted[1], counted[2], dictionaries, fileBytes(database));
        }
    }

    /** {rows, stored bytes, envelopes} of one column, through a connection that does not decode envelopes. */
    static long[] count(Connection plain, String table, String column) throws SQLException {
        String col = quote(column);
        String sql = "SELECT count(*), COALESCE(SUM(length(CAST(" + col + " AS BLOB))), 0), COALESCE(SUM(typeof(" + col
                + ") = 'blob' AND substr(" + col + ", 1, 4) = X'" + ENVELOPE_MAGIC_HEX + "'), 0) FROM " + quote(table);
        try (Statement statement = plain.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static long dictionaryBytes(Connection plain, String table, String column) throws SQLException {
        try (PreparedStatement exists = plain.prepareStatement(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
            exists.setString(1, DICTIONARY_TABLE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
            }
        }
        try (PreparedStatement sum = plain.prepareStatement("SELECT COALESCE(SUM(length(dictionary)), 0) FROM "
                + DICTIONARY_TABLE + " WHERE lower(table_name) = lower(?) AND lower(column_name) = lower(?)")) {
            sum.setString(1, table);
            sum.setString(2, column);
            try (ResultSet rs = sum.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The main file plus any WAL left beside it (none once the last connection closed cleanly). */
    private static long fileBytes(Path database) throws IOException {
        Path wal = database.resolveSibling(database.getFileName() + "-wal");
        return Files.size(database) + (Files.exists(wal) ? Files.size(wal) : 0);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
