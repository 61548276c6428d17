package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: an upsert's {@code DO UPDATE SET value = excluded.value} copies the stored form of the value being
 * inserted into the same column, which the insert records itself when it stores an envelope there. So an upsert of
 * values too small to compress writes no record of compressed columns (a test suite's file per test created the
 * record's table, wrote it and hid the count of its row, per file), while a compressed value — through the copy too,
 * and into another column — is recorded in the transaction that stores it.
 */
class UpsertRecordTest {

    private static final String CREATE = "CREATE TABLE memory_entries (key TEXT PRIMARY KEY, value TEXT, copy TEXT)";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static void upsert(Connection connection, String sql, String key, String value) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setString(1, key);
            upsert.setString(2, value);
            upsert.executeUpdate();
        }
    }

    /** The record as sqlite-jdbc reads it from the file, after the pool closed. */
    private static List<String> recorded(Path file) throws SQLException {
        EnhancedSqlite.shutdown();
        List<String> columns = new ArrayList<>();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement();
             ResultSet exists = statement.executeQuery(
                     "SELECT count(*) FROM sqlite_schema WHERE name = '_enhanced_sqlite_columns'")) {
            exists.next();
            if (exists.getInt(1) == 0) {
                return columns;
            }
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT table_name || '.' || column_name FROM _enhanced_sqlite_columns ORDER BY 1")) {
            while (rows.next()) {
                columns.add(rows.getString(1));
            }
        }
        return columns;
    }

    private static String storedType(Path file, String column) throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement();
             ResultSet row = statement.executeQuery("SELECT typeof(" + column + ") FROM memory_entries")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void smallValuesUpsertedIntoTheirOwnColumnWriteNoRecord() throws Exception {
        Path file = dir.resolve("small.db");
        String sql = "INSERT INTO memory_entries (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file)) {
            CompressDb.execute(connection, CREATE);
            upsert(connection, sql, "k", "{\"test\":1}");
            upsert(connection, sql, "k", "{\"test\":2}");
            assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries"))
                    .isEqualTo("{\"test\":2}");
        }
        assertThat(recorded(file)).isEmpty();
    }

    @Test
    void aCompressedValueIsRecordedThroughTheCopyToo() throws Exception {
        Path file = conflictWithALargeValue("large.db", "value");
        assertThat(recorded(file)).containsExactly("memory_entries.value");
        assertThat(storedType(file, "value")).as("the value is stored compressed").isEqualTo("blob");
    }

    @Test
    void aCopyIntoAnotherColumnIsRecorded() throws Exception {
        Path file = conflictWithALargeValue("other.db", "copy");
        assertThat(recorded(file)).contains("memory_entries.copy");
        assertThat(storedType(file, "copy")).as("the copy is stored compressed").isEqualTo("blob");
    }

    /** A small value upserted, then a compressible one whose conflict stores it in {@code column} from excluded. */
    private Path conflictWithALargeValue(String name, String column) throws SQLException {
        Path file = dir.resolve(name);
        String sql = "INSERT INTO memory_entries (key, value) VALUES (?, ?)"
                + " ON CONFLICT (key) DO UPDATE SET " + column + " = excluded.value";
        String large = CompressDb.hookRecord(name.length());
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file
                + "?compressThreshold=32")) {
            CompressDb.execute(connection, CREATE);
            upsert(connection, sql, "k", "{\"test\":1}");
            upsert(connection, sql, "k", large); // the conflict: stored through excluded.value
            assertThat(CompressDb.queryString(connection, "SELECT " + column + " FROM memory_entries WHERE "
                    + column + " LIKE '%'")).isEqualTo(large);
        }
        return file;
    }
}
