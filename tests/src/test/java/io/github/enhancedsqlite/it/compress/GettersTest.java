package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Getters and result set metadata on compressed values, against a compress=off database with the same data. The
 * exhaustive comparison of every getter on many value shapes is {@link GetterDifferentialTest}.
 */
class GettersTest {

    static final String AUTO = "compressThreshold=32";
    static final String TEXT = "Grüße aus 日本 😀🚀 — Ελληνικά, עברית, русский; e\u0301 ".repeat(40);
    static final byte[] BYTES = new byte[5000];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) (i % 17 * 15);
        }
    }

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static void createDocs(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, data BLOB, note TEXT)");
            CompressDb.update(connection, "INSERT INTO docs (id, body, data, note) VALUES (1, ?, ?, ?)", TEXT, BYTES, null);
            // a compressed value in note on another row, so the column is a compressed one
            CompressDb.update(connection, "INSERT INTO docs (id, body, data, note) VALUES (2, ?, ?, ?)", TEXT, BYTES, TEXT);
        }
    }

    // ---------------------------------------------------------------- regressions of bugs found and fixed

    /**
     * Only the text and binary getters decode: getInt, getLong, getDouble, getBigDecimal, getBoolean… read the
     * stored envelope (sqlite-jdbc converts the BLOB to 0, or fails), not the value.
     */
    @Test
    void numericGettersOnACompressedNumericTextReturnTheNumber() throws Exception {
        String number = "0".repeat(300) + "42";
        Map<String, String> results = new LinkedHashMap<>();
        for (String settings : new String[] {"compress=off", AUTO}) {
            Path file = dir.resolve(settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE counters (id INTEGER PRIMARY KEY, amount TEXT)");
                CompressDb.update(connection, "INSERT INTO counters (id, amount) VALUES (1, ?)", number);
                try (PreparedStatement select = connection.prepareStatement("SELECT amount FROM counters");
                     ResultSet result = select.executeQuery()) {
                    result.next();
                    StringBuilder values = new StringBuilder();
                    values.append("getInt=").append(attempt(() -> result.getInt(1)));
                    values.append(" getLong=").append(attempt(() -> result.getLong("amount")));
                    values.append(" getDouble=").append(attempt(() -> result.getDouble(1)));
                    values.append(" getFloat=").append(attempt(() -> result.getFloat(1)));
                    values.append(" getShort=").append(attempt(() -> result.getShort(1)));
                    values.append(" getBigDecimal=").append(attempt(() -> result.getBigDecimal(1)));
                    values.append(" getBoolean=").append(attempt(() -> result.getBoolean(1)));
                    values.append(" getObject(Long)=").append(attempt(() -> result.getObject(1, Long.class)));
                    results.put(settings, values.toString());
                }
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(CompressDb.storedType(dir.resolve("compressThreshold-32.db"), "counters", "amount", "id = 1"))
                .isEqualTo("blob");
        assertThat(results.get(AUTO)).isEqualTo(results.get("compress=off"));
    }

    /**
     * The getters converted a decoded value by rules of their own: getBigDecimal on a date returned its leading
     * number (2021) where sqlite-jdbc fails, and getObject(Boolean.class) and getObject(LocalDate.class) failed where
     * sqlite-jdbc converts. They now hand the decoded value to sqlite-jdbc's own getters.
     */
    @Test
    void typedGettersOnACompressedDateAreSqliteJdbcs() throws Exception {
        String logged = "2021-11-09 10:11:12 " + "the agent stored a log line; ".repeat(12);
        Map<String, String> results = new LinkedHashMap<>();
        for (String settings : new String[] {"compress=off", AUTO}) {
            Path file = dir.resolve("dates-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT)");
                CompressDb.update(connection, "INSERT INTO events (id, at) VALUES (1, ?)", logged);
                try (PreparedStatement select = connection.prepareStatement("SELECT at FROM events");
                     ResultSet result = select.executeQuery()) {
                    result.next();
                    results.put(settings, "getBigDecimal=" + attempt(() -> result.getBigDecimal(1))
                            + " getObject(Boolean)=" + attempt(() -> result.getObject(1, Boolean.class))
                            + " getObject(LocalDate)=" + attempt(() -> result.getObject("at", LocalDate.class))
                            + " getTimestamp=" + attempt(() -> result.getTimestamp(1)));
                }
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(CompressDb.storedType(dir.resolve("dates-compressThreshold-32.db"), "events", "at", "id = 1"))
                .isEqualTo("blob");
        assertThat(results.get("compress=off")).contains("getBigDecimal=threw Bad value for type BigDecimal")
                .contains("getObject(Boolean)=true");
        assertThat(results.get(AUTO)).isEqualTo(results.get("compress=off"));
    }

    /**
     * sqlite-jdbc derives a column's type from the stored value: a compressed TEXT value must still be reported as
     * VARCHAR (12) and java.lang.String, not as the BLOB (2004) it is stored as.
     */
    @Test
    void resultSetMetaDataDescribesTheColumnAsWithoutCompression() throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        for (String settings : new String[] {"compress=off", AUTO}) {
            Path file = dir.resolve(settings.replace('=', '-') + ".db");
            createDocs(file, settings);
            try (Connection connection = CompressDb.open(file, settings);
                 PreparedStatement select = connection.prepareStatement("SELECT body, note FROM docs ORDER BY id");
                 ResultSet result = select.executeQuery()) {
                StringBuilder description = new StringBuilder();
                while (result.next()) {
                    ResultSetMetaData meta = result.getMetaData();
                    for (int i = 1; i <= 2; i++) {
                        description.append(meta.getColumnLabel(i)).append(':').append(meta.getColumnType(i)).append('/')
                                .append(meta.getColumnTypeName(i)).append('/').append(meta.getColumnClassName(i)).append(' ');
                    }
                }
                results.put(settings, description.toString());
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(results.get(AUTO)).isEqualTo(results.get("compress=off"));
    }

    /** Type names sqlite-jdbc maps TEXT by (CLOB, CHARACTER) and a column declared with no type at all. */
    @Test
    void resultSetMetaDataOfOtherDeclaredTypesIsAsWithoutCompression() throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        for (String settings : new String[] {"compress=off", AUTO}) {
            Path file = dir.resolve("types-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE kinds (id INTEGER PRIMARY KEY, untyped, big CLOB,"
                        + " fixed CHARACTER(2000))");
                CompressDb.update(connection, "INSERT INTO kinds VALUES (1, ?, ?, ?)", TEXT, TEXT, TEXT);
                try (PreparedStatement select = connection.prepareStatement("SELECT untyped, big, fixed FROM kinds");
                     ResultSet result = select.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    ResultSetMetaData meta = result.getMetaData();
                    StringBuilder description = new StringBuilder();
                    for (int i = 1; i <= 3; i++) {
                        description.append(meta.getColumnType(i)).append('/').append(meta.getColumnTypeName(i))
                                .append('/').append(meta.getColumnClassName(i)).append(' ');
                    }
                    results.put(settings, description.toString());
                }
            }
            EnhancedSqlite.shutdown();
        }
        for (String column : new String[] {"untyped", "big", "fixed"}) {
            assertThat(CompressDb.storedType(dir.resolve("types-compressThreshold-32.db"), "kinds", column, "id = 1"))
                    .as(column + " is stored compressed").isEqualTo("blob");
        }
        assertThat(results.get(AUTO)).isEqualTo(results.get("compress=off"));
    }

    @FunctionalInterface
    interface Read {
        Object read() throws SQLException;
    }

    private static String attempt(Read read) {
        try {
            return String.valueOf(read.read());
        } catch (SQLException e) {
            return "threw " + e.getMessage();
        } catch (RuntimeException e) { // sqlite-jdbc's getObject(LocalDate.class) lets a DateTimeParseException out
            return "threw " + e;
        }
    }
}
