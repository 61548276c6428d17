package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ResultSet getter, by index and by label, on compressed TEXT and BLOB values and on a NULL in a compressed
 * column, in several shapes of SELECT: the value is the one a compress=off database with the same data gives (or,
 * where plain sqlite-jdbc does not implement a getter, the original value).
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

    /** Shapes of SELECT: the labels of the body, data and note columns, and the SQL. */
    private static final Map<String, String[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("SELECT id, body, data, note FROM docs WHERE id = 1", new String[] {"body", "data", "note"});
        SHAPES.put("SELECT * FROM docs WHERE id = 1", new String[] {"body", "data", "note"});
        SHAPES.put("SELECT d.note AS n, d.data AS x, d.body AS b FROM docs d WHERE d.id = ?", new String[] {"b", "x", "n"});
    }

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @FunctionalInterface
    interface Getter {
        Object get(ResultSet result, int index, String label, boolean byLabel) throws Exception;
    }

    private static final Map<String, Getter> GETTERS = new LinkedHashMap<>();

    static {
        GETTERS.put("getString", (r, i, l, b) -> b ? r.getString(l) : r.getString(i));
        GETTERS.put("getNString", (r, i, l, b) -> b ? r.getNString(l) : r.getNString(i));
        GETTERS.put("getBytes", (r, i, l, b) -> hex(b ? r.getBytes(l) : r.getBytes(i)));
        GETTERS.put("getObject", (r, i, l, b) -> comparable(b ? r.getObject(l) : r.getObject(i)));
        GETTERS.put("getObject(String.class)", (r, i, l, b) -> b ? r.getObject(l, String.class) : r.getObject(i, String.class));
        GETTERS.put("getObject(byte[].class)", (r, i, l, b) -> hex(b ? r.getObject(l, byte[].class) : r.getObject(i, byte[].class)));
        GETTERS.put("getCharacterStream", (r, i, l, b) -> read(b ? r.getCharacterStream(l) : r.getCharacterStream(i)));
        GETTERS.put("getNCharacterStream", (r, i, l, b) -> read(b ? r.getNCharacterStream(l) : r.getNCharacterStream(i)));
        GETTERS.put("getBinaryStream", (r, i, l, b) -> hex(read(b ? r.getBinaryStream(l) : r.getBinaryStream(i))));
        GETTERS.put("getBlob", (r, i, l, b) -> {
            Blob blob = b ? r.getBlob(l) : r.getBlob(i);
            return blob == null ? null : hex(blob.getBytes(1, (int) blob.length()));
        });
        GETTERS.put("getClob", (r, i, l, b) -> {
            Clob clob = b ? r.getClob(l) : r.getClob(i);
            return clob == null ? null : clob.getSubString(1, (int) clob.length());
        });
    }

    private static Object comparable(Object value) {
        return value instanceof byte[] bytes ? hex(bytes) : value;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    private static String read(Reader reader) throws IOException {
        if (reader == null) {
            return null;
        }
        StringWriter text = new StringWriter();
        reader.transferTo(text);
        return text.toString();
    }

    private static byte[] read(InputStream stream) throws IOException {
        return stream == null ? null : stream.readAllBytes();
    }

    /** What a getter returns on a compress=off database, or — where sqlite-jdbc does not implement it — the original. */
    private static Object reference(String getter, Object original) {
        boolean bytes = getter.equals("getBytes") || getter.equals("getBinaryStream") || getter.equals("getBlob")
                || getter.equals("getObject(byte[].class)");
        if (original == null) {
            return null;
        }
        if (original instanceof String text) {
            return bytes ? hex(text.getBytes(StandardCharsets.UTF_8)) : text;
        }
        return bytes || getter.equals("getObject") ? hex((byte[]) original) : new String((byte[]) original, StandardCharsets.UTF_8);
    }

    private static void createDocs(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, data BLOB, note TEXT)");
            CompressDb.update(connection, "INSERT INTO docs (id, body, data, note) VALUES (1, ?, ?, ?)", TEXT, BYTES, null);
            // a compressed value in note on another row, so the column is a compressed one
            CompressDb.update(connection, "INSERT INTO docs (id, body, data, note) VALUES (2, ?, ?, ?)", TEXT, BYTES, TEXT);
        }
    }

    private static Object outcome(Path file, String settings, String sql, String getter, int column, boolean byLabel)
            throws SQLException {
        try (Connection connection = CompressDb.open(file, settings);
             PreparedStatement select = connection.prepareStatement(sql)) {
            if (sql.contains("?")) {
                select.setInt(1, 1);
            }
            try (ResultSet result = select.executeQuery()) {
                assertThat(result.next()).isTrue();
                int index = result.findColumn(SHAPES.get(sql)[column]);
                try {
                    Object value = GETTERS.get(getter).get(result, index, SHAPES.get(sql)[column], byLabel);
                    return value + (value == null ? " wasNull=" + result.wasNull() : "");
                } catch (SQLFeatureNotSupportedException e) {
                    return e;
                } catch (Exception e) {
                    return "threw " + e;
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGetterReturnsTheOriginalValue() throws SQLException {
        Path off = dir.resolve("off.db");
        Path auto = dir.resolve("auto.db");
        createDocs(off, "compress=off");
        createDocs(auto, AUTO);
        for (String column : new String[] {"body", "data", "note"}) {
            assertThat(CompressDb.storedType(auto, "docs", column, "id = 2")).as(column).isEqualTo("blob");
        }
        Object[] originals = {TEXT, BYTES, null};
        String[] columnNames = {"body (TEXT)", "data (BLOB)", "note (NULL)"};
        List<DynamicTest> tests = new ArrayList<>();
        for (String getter : GETTERS.keySet()) {
            for (int column = 0; column < 3; column++) {
                int c = column;
                tests.add(DynamicTest.dynamicTest(getter + " on " + columnNames[c], () -> {
                    SoftAssertions softly = new SoftAssertions();
                    for (String sql : SHAPES.keySet()) {
                        for (boolean byLabel : new boolean[] {false, true}) {
                            Object expected = outcome(off, "compress=off", sql, getter, c, byLabel);
                            if (expected instanceof SQLFeatureNotSupportedException) {
                                expected = reference(getter, originals[c]);
                                expected = expected + (expected == null ? " wasNull=true" : "");
                            }
                            Object actual = outcome(auto, AUTO, sql, getter, c, byLabel);
                            softly.assertThat(String.valueOf(actual)).as("%s by %s in %s", getter,
                                    byLabel ? "label" : "index", sql).isEqualTo(String.valueOf(expected));
                        }
                    }
                    EnhancedSqlite.shutdown();
                    softly.assertAll();
                }));
            }
        }
        return tests.stream();
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
        }
    }
}
