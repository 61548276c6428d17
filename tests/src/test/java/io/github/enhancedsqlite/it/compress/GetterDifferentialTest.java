package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Struct;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ResultSet getter, by index and by label, on values of many shapes held in a compressed TEXT and a
 * compressed BLOB column, against the same values in a {@code compress=off} database: each call must give the same
 * value, or fail with the same exception class and SQLState, as on the plain value.
 *
 * <p>The long shapes are compressed by the driver (threshold 32). Short ones cannot shrink, so the driver stores them
 * plain; in the compressed database each of them is stored a second time as a raw-payload envelope written through
 * plain sqlite-jdbc, so that every shape — a bare date, '1', 'true' — is also read through the decoding getters.
 * The result set metadata that describes such a value is compared too.
 */
class GetterDifferentialTest {

    private static final String COMPRESSED = "compressThreshold=32";
    private static final String OFF = "compress=off";
    /** Row ids at or above this hold the shapes as the driver stored them (compressed or not); below, as envelopes. */
    private static final int AS_STORED = 1000;

    private static final List<Object> SHAPES = new ArrayList<>(List.of(
            "2021-11-09 10:11:12", "2021-11-09", "10:11:12", "2021-11-09T10:11:12", "2021-11-09 10:11:12.345",
            "2021-11-09T10:11:12.345+02:00", "10:11:12+02:00", "2021-11-09 10:11", "2021-1-9", "1636452672000",
            "42", "-7", " 42 ", "007", "3.14", "-0.5e3", "1e400", "9223372036854775808", "0x1F", "NaN", "Infinity",
            "true", "false", "TRUE", "1", "0", "yes", "", " ", "\u0000", "x\u0000y", "{\"a\":1,\"b\":[true,null]}",
            "http://example.com/a?b=c", "550e8400-e29b-41d4-a716-446655440000", "Grüße 日本 😀",
            // long enough to be compressed by the driver
            "2021-11-09 10:11:12 " + "the agent stored a log line; ".repeat(12),
            "0".repeat(300) + "42",
            "1".repeat(300),
            "-3." + "1415".repeat(80),
            "true" + " ".repeat(300),
            "{\"items\":[" + "{\"k\":1,\"v\":\"value\"},".repeat(30) + "{}]}",
            "Grüße aus 日本 😀🚀 — Ελληνικά, עברית, русский; e\u0301 ".repeat(20),
            "null\u0000inside".repeat(30),
            "2021-11-09" + " ".repeat(300)));

    static {
        byte[] pattern = new byte[5000];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i % 17 * 15);
        }
        byte[] invalidUtf8 = new byte[600];
        for (int i = 0; i < invalidUtf8.length; i++) {
            invalidUtf8[i] = (byte) (i % 3 == 0 ? 0xFF : 0xC3);
        }
        SHAPES.addAll(List.of(pattern, invalidUtf8, new byte[400], new byte[] {0}, new byte[] {(byte) 0xFF, 0x41},
                new byte[0]));
    }

    private static final String[] QUERIES = {
        "SELECT txt, bin FROM shapes WHERE id = ?",
        "SELECT s.id, s.bin AS b, s.txt AS t FROM shapes s WHERE s.id = ?",
    };
    /** The labels of the txt and bin columns in each query. */
    private static final String[][] LABELS = {{"txt", "bin"}, {"t", "b"}};

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

    private static Calendar tokyo() {
        return Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"));
    }

    static {
        GETTERS.put("getString", (r, i, l, b) -> b ? r.getString(l) : r.getString(i));
        GETTERS.put("getNString", (r, i, l, b) -> b ? r.getNString(l) : r.getNString(i));
        GETTERS.put("getBoolean", (r, i, l, b) -> b ? r.getBoolean(l) : r.getBoolean(i));
        GETTERS.put("getByte", (r, i, l, b) -> b ? r.getByte(l) : r.getByte(i));
        GETTERS.put("getShort", (r, i, l, b) -> b ? r.getShort(l) : r.getShort(i));
        GETTERS.put("getInt", (r, i, l, b) -> b ? r.getInt(l) : r.getInt(i));
        GETTERS.put("getLong", (r, i, l, b) -> b ? r.getLong(l) : r.getLong(i));
        GETTERS.put("getFloat", (r, i, l, b) -> b ? r.getFloat(l) : r.getFloat(i));
        GETTERS.put("getDouble", (r, i, l, b) -> b ? r.getDouble(l) : r.getDouble(i));
        GETTERS.put("getBigDecimal", (r, i, l, b) -> b ? r.getBigDecimal(l) : r.getBigDecimal(i));
        GETTERS.put("getBigDecimal(scale)", (r, i, l, b) -> b ? r.getBigDecimal(l, 2) : r.getBigDecimal(i, 2));
        GETTERS.put("getBytes", (r, i, l, b) -> b ? r.getBytes(l) : r.getBytes(i));
        GETTERS.put("getDate", (r, i, l, b) -> b ? r.getDate(l) : r.getDate(i));
        GETTERS.put("getDate(Calendar)", (r, i, l, b) -> b ? r.getDate(l, tokyo()) : r.getDate(i, tokyo()));
        GETTERS.put("getTime", (r, i, l, b) -> b ? r.getTime(l) : r.getTime(i));
        GETTERS.put("getTime(Calendar)", (r, i, l, b) -> b ? r.getTime(l, tokyo()) : r.getTime(i, tokyo()));
        GETTERS.put("getTimestamp", (r, i, l, b) -> b ? r.getTimestamp(l) : r.getTimestamp(i));
        GETTERS.put("getTimestamp(Calendar)", (r, i, l, b) -> b ? r.getTimestamp(l, tokyo()) : r.getTimestamp(i, tokyo()));
        GETTERS.put("getAsciiStream", (r, i, l, b) -> b ? r.getAsciiStream(l) : r.getAsciiStream(i));
        GETTERS.put("getUnicodeStream", (r, i, l, b) -> b ? r.getUnicodeStream(l) : r.getUnicodeStream(i));
        GETTERS.put("getBinaryStream", (r, i, l, b) -> b ? r.getBinaryStream(l) : r.getBinaryStream(i));
        GETTERS.put("getCharacterStream", (r, i, l, b) -> b ? r.getCharacterStream(l) : r.getCharacterStream(i));
        GETTERS.put("getNCharacterStream", (r, i, l, b) -> b ? r.getNCharacterStream(l) : r.getNCharacterStream(i));
        GETTERS.put("getBlob", (r, i, l, b) -> b ? r.getBlob(l) : r.getBlob(i));
        GETTERS.put("getClob", (r, i, l, b) -> b ? r.getClob(l) : r.getClob(i));
        GETTERS.put("getNClob", (r, i, l, b) -> b ? r.getNClob(l) : r.getNClob(i));
        GETTERS.put("getArray", (r, i, l, b) -> b ? r.getArray(l) : r.getArray(i));
        GETTERS.put("getRef", (r, i, l, b) -> b ? r.getRef(l) : r.getRef(i));
        GETTERS.put("getURL", (r, i, l, b) -> b ? r.getURL(l) : r.getURL(i));
        GETTERS.put("getRowId", (r, i, l, b) -> b ? r.getRowId(l) : r.getRowId(i));
        GETTERS.put("getSQLXML", (r, i, l, b) -> b ? r.getSQLXML(l) : r.getSQLXML(i));
        GETTERS.put("getObject", (r, i, l, b) -> b ? r.getObject(l) : r.getObject(i));
        GETTERS.put("getMetaData().getColumnType", (r, i, l, b) -> r.getMetaData().getColumnType(i));
        GETTERS.put("getMetaData().getColumnTypeName", (r, i, l, b) -> r.getMetaData().getColumnTypeName(i));
        GETTERS.put("getMetaData().getColumnClassName", (r, i, l, b) -> r.getMetaData().getColumnClassName(i));
        GETTERS.put("getObject(Map)", (r, i, l, b) -> b ? r.getObject(l, Map.of()) : r.getObject(i, Map.of()));
        // the classes JDBC 4.3 names for getObject(int, Class), and a few more an application may ask for
        for (Class<?> type : new Class<?>[] {String.class, BigDecimal.class, Boolean.class, Byte.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, byte[].class, java.sql.Date.class, Time.class,
            Timestamp.class, LocalDate.class, LocalTime.class, LocalDateTime.class, OffsetTime.class,
            OffsetDateTime.class, ZonedDateTime.class, Instant.class, Blob.class, Clob.class, NClob.class,
            Array.class, Struct.class, Ref.class, RowId.class, SQLXML.class, URL.class, Object.class,
            java.util.Date.class, Calendar.class, UUID.class, Character.class}) {
            GETTERS.put("getObject(" + type.getSimpleName() + ".class)",
                    (r, i, l, b) -> b ? r.getObject(l, type) : r.getObject(i, type));
        }
    }

    @Test
    void everyGetterGivesOnACompressedValueWhatItGivesOnThePlainValue() throws Exception {
        Path off = createShapes(dir.resolve("off.db"), OFF);
        Path compressed = createShapes(dir.resolve("compressed.db"), COMPRESSED);
        int compressedByTheDriver = storeShortValuesAsEnvelopes(compressed);
        assertThat(compressedByTheDriver).as("values the driver compressed itself").isGreaterThanOrEqualTo(18);

        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (Connection plainSide = CompressDb.open(off, OFF);
             Connection compressedSide = CompressDb.open(compressed, COMPRESSED)) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < SHAPES.size(); i++) {
                ids.add(i);
                ids.add(AS_STORED + i);
            }
            ids.add(-1); // a NULL in both columns
            for (int id : ids) {
                for (int query = 0; query < QUERIES.length; query++) {
                    for (int column = 0; column < 2; column++) {
                        for (Map.Entry<String, Getter> getter : GETTERS.entrySet()) {
                            for (boolean byLabel : new boolean[] {false, true}) {
                                if (byLabel && getter.getKey().startsWith("getMetaData")) {
                                    continue;
                                }
                                String expected = outcome(plainSide, query, id, column, getter.getValue(), byLabel);
                                String actual = outcome(compressedSide, query, id, column, getter.getValue(), byLabel);
                                compared++;
                                if (!same(expected, actual)) {
                                    mismatches.add(getter.getKey() + (byLabel ? " by label" : " by index") + " on "
                                            + LABELS[0][column] + " row " + id + " " + shapeOf(id) + " in query "
                                            + query + ": plain " + expected + ", compressed " + actual);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(30_000);
        assertThat(mismatches).as("%s of %s getter calls differ; the first:\n%s", mismatches.size(), compared,
                String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size())))).isEmpty();
    }

    private static String shapeOf(int id) {
        if (id < 0) {
            return "(NULL)";
        }
        Object shape = SHAPES.get(id % AS_STORED);
        String text = shape instanceof byte[] bytes ? "X'" + HexFormat.of().formatHex(bytes) + "'" : "'" + shape + "'";
        return text.length() > 40 ? text.substring(0, 40).replace('\0', '0') + "…" : text.replace('\0', '0');
    }

    /** The table with each shape twice: TEXT shapes in txt and, as their UTF-8 bytes, in bin; BLOB shapes in bin. */
    private static Path createShapes(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, "CREATE TABLE shapes (id INTEGER PRIMARY KEY, txt TEXT, bin BLOB)");
            for (int i = 0; i < SHAPES.size(); i++) {
                Object shape = SHAPES.get(i);
                Object text = shape instanceof String ? shape : null;
                byte[] bytes = shape instanceof String string ? string.getBytes(StandardCharsets.UTF_8) : (byte[]) shape;
                for (int id : new int[] {i, AS_STORED + i}) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO shapes (id, txt, bin) VALUES (?, ?, ?)")) {
                        insert.setInt(1, id);
                        insert.setObject(2, text);
                        insert.setBytes(3, bytes);
                        insert.executeUpdate();
                    }
                }
            }
            CompressDb.update(connection, "INSERT INTO shapes (id, txt, bin) VALUES (-1, NULL, NULL)");
        }
        EnhancedSqlite.shutdown();
        return file;
    }

    /**
     * Through plain sqlite-jdbc, stores every value of the rows below {@link #AS_STORED} that the driver left plain
     * as a raw-payload envelope of its original type. Returns how many values the driver had compressed itself.
     */
    private static int storeShortValuesAsEnvelopes(Path file) throws SQLException {
        int compressed = 0;
        try (Connection plain = CompressDb.plain(file)) {
            for (int id = 0; id < SHAPES.size(); id++) {
                for (String column : new String[] {"txt", "bin"}) {
                    try (PreparedStatement select = plain.prepareStatement(
                            "SELECT typeof(" + column + "), " + column + " FROM shapes WHERE id = ?")) {
                        select.setInt(1, id);
                        try (ResultSet row = select.executeQuery()) {
                            assertThat(row.next()).isTrue();
                            String type = row.getString(1);
                            if (type.equals("null")) {
                                continue;
                            }
                            byte[] stored = row.getBytes(2);
                            if (type.equals("blob") && startsWithMagic(stored)) {
                                compressed += (stored[5] & 0xF0) == 0 ? 1 : 0;
                                continue;
                            }
                            byte[] envelope = rawEnvelope(stored == null ? new byte[0] : stored, type.equals("blob"));
                            CompressDb.update(plain, "UPDATE shapes SET " + column + " = ? WHERE id = ?", envelope, id);
                        }
                    }
                }
            }
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM shapes WHERE id BETWEEN 0 AND ? AND"
                    + " (txt IS NOT NULL AND substr(txt, 1, 4) <> X'EC45535A' OR substr(bin, 1, 4) <> X'EC45535A')",
                    AS_STORED - 1)).as("rows not stored as envelopes").isZero();
        }
        return compressed;
    }

    private static boolean startsWithMagic(byte[] stored) {
        return stored != null && stored.length >= 4 && (stored[0] & 0xFF) == 0xEC && stored[1] == 'E'
                && stored[2] == 'S' && stored[3] == 'Z';
    }

    /** Format version 2: flags raw payload, check bit and type; CRC32C of the first ten bytes and the value. */
    private static byte[] rawEnvelope(byte[] raw, boolean blob) {
        byte[] envelope = new byte[14 + raw.length];
        envelope[0] = (byte) 0xEC;
        envelope[1] = 'E';
        envelope[2] = 'S';
        envelope[3] = 'Z';
        envelope[4] = 2;
        envelope[5] = (byte) (0x12 | (blob ? 1 : 0));
        CRC32C check = new CRC32C();
        check.update(envelope, 0, 10);
        check.update(raw);
        ByteBuffer.wrap(envelope, 10, 4).putInt((int) check.getValue());
        System.arraycopy(raw, 0, envelope, 14, raw.length);
        return envelope;
    }

    /** One getter call on a fresh result set: the value it gave (and wasNull after it), or what it threw. */
    private static String outcome(Connection connection, int query, int id, int column, Getter getter, boolean byLabel)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(QUERIES[query])) {
            select.setInt(1, id);
            try (ResultSet result = select.executeQuery()) {
                assertThat(result.next()).isTrue();
                String label = LABELS[query][column];
                int index = result.findColumn(label);
                try {
                    Object value = getter.get(result, index, label, byLabel);
                    return render(value) + WAS_NULL + wasNull(result);
                } catch (SQLException e) {
                    return "threw " + e.getClass().getName() + " SQLState " + e.getSQLState();
                } catch (Exception e) {
                    return "threw " + e.getClass().getName();
                }
            }
        }
    }

    private static final String WAS_NULL = " wasNull=";
    private static final String UNKNOWN = "unknown";

    /**
     * sqlite-jdbc's wasNull asks about the column last read, and its getBigDecimal reads a NULL without noting the
     * column, so right after it on a fresh row wasNull fails ("column -1 out of bounds"). The driver has read the
     * column by then, so it answers; such a call is compared by its value only.
     */
    private static String wasNull(ResultSet result) {
        try {
            return String.valueOf(result.wasNull());
        } catch (SQLException e) {
            return UNKNOWN;
        }
    }

    private static boolean same(String expected, String actual) {
        if (expected.endsWith(WAS_NULL + UNKNOWN)) {
            int cut = expected.lastIndexOf(WAS_NULL);
            return actual.startsWith(expected.substring(0, cut + WAS_NULL.length()));
        }
        return expected.equals(actual);
    }

    private static String render(Object value) throws Exception {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[] bytes) {
            return "byte[]:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof InputStream stream) {
            return "stream:" + HexFormat.of().formatHex(stream.readAllBytes());
        }
        if (value instanceof Reader reader) {
            StringWriter text = new StringWriter();
            reader.transferTo(text);
            return "reader:" + text;
        }
        if (value instanceof Blob blob) {
            return value.getClass().getName() + ":" + HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
        }
        if (value instanceof Clob clob) {
            return value.getClass().getName() + ":" + clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof java.util.Date date) {
            return value.getClass().getName() + ":" + value + "@" + date.getTime();
        }
        return value.getClass().getName() + ":" + value;
    }
}
