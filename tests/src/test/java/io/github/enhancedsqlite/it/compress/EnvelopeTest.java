package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored form: every value reads back exactly as written, including raw BLOBs that begin like an envelope,
 * random bytes, empty, unicode and huge values; a damaged envelope is an error that names where it is, and only
 * the statements that read it fail.
 */
class EnvelopeTest {

    static final String SETTINGS = "compressThreshold=32";
    static final byte[] MAGIC = {(byte) 0xEC, 'E', 'S', 'Z'};

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Path filesDatabase(String settings) throws SQLException {
        Path file = dir.resolve("files.db");
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, "CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT, data BLOB)",
                    "CREATE TABLE staging (id INTEGER PRIMARY KEY, data BLOB)");
        }
        return file;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** BLOBs a user may store that begin with the envelope's magic bytes. */
    private static List<byte[]> envelopeLikeBlobs(Path someCompressedValueSource) throws SQLException {
        List<byte[]> blobs = new ArrayList<>();
        blobs.add(MAGIC.clone());
        blobs.add(concat(MAGIC, new byte[] {1}));
        // a well-formed raw-payload envelope of "hello": would decode to the text "hello"
        blobs.add(HexFormat.of().parseHex("EC45535A01100000000068656c6c6f"));
        // same with a compressible tail above the threshold
        blobs.add(concat(HexFormat.of().parseHex("EC45535A011100000000"), "x".repeat(5000).getBytes(StandardCharsets.UTF_8)));
        byte[] random = new byte[3000];
        new Random(3).nextBytes(random);
        blobs.add(concat(MAGIC, random)); // incompressible: escaped, not compressed
        blobs.add(concat(HexFormat.of().parseHex("EC45535A09"), random)); // unknown version
        if (someCompressedValueSource != null) {
            try (Connection plain = CompressDb.plain(someCompressedValueSource)) {
                // a real envelope, stored by the driver elsewhere, now stored as a user's raw bytes
                blobs.add((byte[]) CompressDb.queryObject(plain, "SELECT data FROM files WHERE name = 'real'"));
            }
        }
        return blobs;
    }

    private static void assertReadsBack(Connection connection, List<byte[]> blobs) throws SQLException {
        for (int i = 0; i < blobs.size(); i++) {
            byte[] expected = blobs.get(i);
            String name = "blob" + i;
            assertThat((byte[]) CompressDb.queryObject(connection, "SELECT data FROM files WHERE name = ?", name))
                    .as(name).isEqualTo(expected);
            assertThat(CompressDb.rows(connection, "SELECT typeof(data), length(data), hex(data) FROM files WHERE name = ?",
                    name)).as(name + " in SQL").containsExactly("text:blob | integer:" + expected.length + " | text:"
                    + HexFormat.of().withUpperCase().formatHex(expected));
            assertThat(CompressDb.queryLong(connection, "SELECT count(*) FROM files WHERE data = ?", (Object) expected))
                    .as(name + " compared in SQL").isEqualTo(1);
        }
    }

    @Test
    void rawBlobsThatBeginLikeAnEnvelopeReadBackExactly() throws Exception {
        Path file = filesDatabase(SETTINGS);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('real', ?)",
                    (Object) "y".repeat(2000).getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> blobs = envelopeLikeBlobs(file);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            for (int i = 0; i < blobs.size(); i++) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO files (name, data) VALUES (?, ?)")) {
                    insert.setString(1, "blob" + i);
                    if (i % 2 == 0) {
                        insert.setBytes(2, blobs.get(i));
                    } else {
                        insert.setObject(2, blobs.get(i));
                    }
                    insert.executeUpdate();
                }
            }
            assertReadsBack(connection, blobs);
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file, "compress=off")) {
            assertReadsBack(connection, blobs);
        }
    }

    @Test
    void randomBytesAndTextOfEverySizeReadBackExactly() throws Exception {
        Path file = filesDatabase(SETTINGS);
        Random random = new Random(20_250_805);
        List<byte[]> blobs = new ArrayList<>();
        for (int length : new int[] {0, 1, 31, 32, 33, 100, 4096, 65_536, 300_000}) {
            byte[] noise = new byte[length];
            random.nextBytes(noise);
            blobs.add(noise);
            byte[] repetitive = new byte[length];
            for (int i = 0; i < length; i++) {
                repetitive[i] = (byte) (i % 7);
            }
            blobs.add(repetitive);
        }
        byte[] huge = new byte[8 * 1024 * 1024];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = (byte) ((i * 31) % 251 ^ (i >> 12));
        }
        blobs.add(huge);
        List<String> texts = new ArrayList<>(List.of("", "a", "ü", "日本語のテキスト".repeat(20), "😀🚀🌍".repeat(50),
                "e\u0301".repeat(100), "null\u0000inside".repeat(10), "Ελληνικά עברית русский 漢字 ".repeat(30),
                "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ".repeat(40), "\t\r\n ".repeat(40), "x".repeat(5 * 1024 * 1024)));
        StringBuilder randomText = new StringBuilder();
        while (randomText.length() < 200_000) {
            int codePoint = random.nextInt(0x10FFFF);
            if (codePoint < 0xD800 || codePoint > 0xDFFF) {
                randomText.appendCodePoint(codePoint);
            }
        }
        texts.add(randomText.toString());
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            for (int i = 0; i < blobs.size(); i++) {
                CompressDb.update(connection, "INSERT INTO files (id, name, data) VALUES (?, 'blob', ?)", i,
                        blobs.get(i));
            }
            for (int i = 0; i < texts.size(); i++) {
                CompressDb.update(connection, "INSERT INTO files (id, name, data) VALUES (?, 'text', ?)", 1000 + i,
                        texts.get(i));
            }
            for (int i = 0; i < blobs.size(); i++) {
                assertThat((byte[]) CompressDb.queryObject(connection, "SELECT data FROM files WHERE id = ?", i))
                        .as("blob %s of %s bytes", i, blobs.get(i).length).isEqualTo(blobs.get(i));
                assertThat(CompressDb.queryLong(connection, "SELECT length(data) FROM files WHERE id = ?", i))
                        .isEqualTo(blobs.get(i).length);
            }
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                assertThat(CompressDb.queryObject(connection, "SELECT data FROM files WHERE id = ?", 1000 + i))
                        .as("text %s", i).isEqualTo(text);
                assertThat(CompressDb.rows(connection, "SELECT typeof(data), length(data), data = ? FROM files"
                        + " WHERE id = ?", text, 1000 + i)).as("text %s in SQL", i)
                        .containsExactly("text:text | integer:" + sqliteLength(text) + " | integer:1");
            }
        }
        try (Connection plain = CompressDb.plain(file)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM files WHERE typeof(data) = 'blob'"
                    + " AND name = 'text'")).as("texts stored compressed").isGreaterThan(5);
            assertThat(CompressDb.queryLong(plain, "SELECT length(data) FROM files WHERE id = ?", blobs.size() - 1))
                    .as("the 8 MB blob is stored compressed").isLessThan(huge.length / 4);
        }
    }

    /** SQLite's length() of a text: characters before the first NUL. */
    private static int sqliteLength(String text) {
        int end = text.indexOf('\0');
        return text.codePointCount(0, end < 0 ? text.length() : end);
    }

    private static Path memoryDatabaseWithTenRows(Path dir) throws SQLException {
        Path file = dir.resolve("memory.db");
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            for (int i = 1; i <= 10; i++) {
                CompressDb.update(connection, "INSERT INTO memory_entries (id, key, value) VALUES (?, ?, ?)", i, "k" + i,
                        CompressDb.hookRecord(i));
            }
        }
        EnhancedSqlite.shutdown();
        return file;
    }

    /** Changes the stored envelope of one row through plain sqlite-jdbc. */
    private static void damage(Path file, int id, java.util.function.UnaryOperator<byte[]> change) throws SQLException {
        try (Connection plain = CompressDb.plain(file)) {
            byte[] stored = (byte[]) CompressDb.queryObject(plain, "SELECT value FROM memory_entries WHERE id = ?", id);
            assertThat(stored).startsWith(MAGIC);
            CompressDb.update(plain, "UPDATE memory_entries SET value = ? WHERE id = ?", change.apply(stored.clone()), id);
        }
    }

    private static byte[] flipPayloadBytes(byte[] envelope) {
        for (int i = envelope.length / 2; i < envelope.length / 2 + 4; i++) {
            envelope[i] ^= 0x5A;
        }
        return envelope;
    }

    @Test
    void aDamagedEnvelopeReadInSqlIsAnErrorNamingTableColumnAndRowid() throws Exception {
        Path file = memoryDatabaseWithTenRows(dir);
        damage(file, 5, EnvelopeTest::flipPayloadBytes);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertThatThrownBy(() -> CompressDb.rows(connection,
                    "SELECT key FROM memory_entries WHERE value LIKE '%pre-bash%' ORDER BY id"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("memory_entries.value").hasMessageContaining("rowid 5");
            assertThatThrownBy(() -> CompressDb.rows(connection, "SELECT length(value) FROM memory_entries"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("memory_entries.value");
            // every other row stays readable, in SQL and through the getters
            assertThat(CompressDb.queryLong(connection,
                    "SELECT count(*) FROM memory_entries WHERE id <> 5 AND value LIKE '%pre-bash%'")).isEqualTo(9);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                if (i != 5) {
                    expected.add("text:" + CompressDb.hookRecord(i));
                }
            }
            assertThat(CompressDb.rows(connection, "SELECT value FROM memory_entries WHERE id <> 5 ORDER BY id"))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void truncatedUnknownVersionAndMissingDictionaryAreErrorsToo() throws Exception {
        Path file = memoryDatabaseWithTenRows(dir);
        damage(file, 2, stored -> Arrays.copyOf(stored, stored.length - 7));
        damage(file, 3, stored -> {
            stored[4] = 9; // format version
            return stored;
        });
        damage(file, 4, stored -> {
            stored[9] = 77; // dictionary id 77, which the database does not hold
            return stored;
        });
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            for (int id = 2; id <= 4; id++) {
                int row = id;
                assertThatThrownBy(() -> CompressDb.rows(connection,
                        "SELECT upper(value) FROM memory_entries WHERE id = ?", row)).as("row %s in SQL", row)
                        .isInstanceOf(SQLException.class).hasMessageContaining("memory_entries.value")
                        .hasMessageContaining("rowid " + row);
                assertThatThrownBy(() -> CompressDb.rows(connection, "SELECT value FROM memory_entries WHERE id = ?",
                        row)).as("row %s through getObject", row).isInstanceOf(SQLException.class);
            }
            assertThat(CompressDb.queryLong(connection, "SELECT count(*) FROM memory_entries WHERE id NOT IN (2, 3, 4)"
                    + " AND length(value) > 100")).isEqualTo(7);
        }
    }

    /** A table whose TEXT column holds zstd envelopes and whose BLOB column holds raw-payload (escaped) envelopes. */
    private Path notesWithEnvelopes(int rows) throws SQLException {
        Path file = dir.resolve("notes.db");
        Random random = new Random(11);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, data BLOB)");
            for (int id = 1; id <= rows; id++) {
                byte[] noise = new byte[600];
                random.nextBytes(noise);
                CompressDb.update(connection, "INSERT INTO notes (id, body, data) VALUES (?, ?, ?)", id,
                        CompressDb.hookRecord(id), concat(MAGIC, noise));
            }
        }
        EnhancedSqlite.shutdown();
        return file;
    }

    /** The header bytes the envelope's check covers, after the magic: version, flags, dictionary id, check. */
    private static final int CHECKED_HEADER_END = 14;
    private static final int[] FLIPS = {0x01, 0x02, 0x03, 0x10, 0x80, 0xFF};

    /**
     * Any one byte of a stored envelope's header damaged — version, original type, payload kind, dictionary id,
     * check — and, for a raw payload, any byte of the value: reading it fails with an error naming table, column and
     * rowid (in SQL) or table and column (through the getters), never a different value or type. A flipped type bit
     * used to turn a TEXT into a BLOB, a flipped payload kind returned the zstd frame as the value, and a raw payload
     * had no check at all.
     */
    @Test
    void everyDamagedHeaderByteIsAnErrorNamingWhereTheValueIs() throws Exception {
        int rows = (CHECKED_HEADER_END - MAGIC.length) * FLIPS.length + 1;
        Path file = notesWithEnvelopes(rows);
        List<String> damaged = new ArrayList<>();
        int id = 1;
        for (int position = MAGIC.length; position < CHECKED_HEADER_END; position++) {
            for (int flip : FLIPS) {
                int at = position;
                damage(file, "notes", "body", id, stored -> flip(stored, at, flip));
                damage(file, "notes", "data", id, stored -> flip(stored, at, flip));
                damaged.add("row " + id + ": byte " + position + " ^ " + Integer.toHexString(flip));
                id++;
            }
        }
        int payloadRow = id;
        damage(file, "notes", "data", payloadRow, stored -> flip(stored, stored.length - 100, 0x04));
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            for (int row = 1; row < payloadRow; row++) {
                int r = row;
                String what = damaged.get(row - 1);
                for (String column : new String[] {"body", "data"}) {
                    assertThatThrownBy(() -> CompressDb.rows(connection, "SELECT length(" + column + ") FROM notes"
                            + " WHERE id = ?", r)).as("%s of %s read in SQL", column, what)
                            .isInstanceOf(SQLException.class).hasMessageContaining("notes." + column)
                            .hasMessageContaining("rowid " + r);
                    assertThatThrownBy(() -> CompressDb.rows(connection, "SELECT " + column + " FROM notes WHERE id = ?",
                            r)).as("%s of %s read by getObject", column, what)
                            .isInstanceOf(SQLException.class).hasMessageContaining("notes." + column);
                }
            }
            assertThatThrownBy(() -> CompressDb.rows(connection, "SELECT data FROM notes WHERE id = ?", payloadRow))
                    .as("a damaged raw payload").isInstanceOf(SQLException.class).hasMessageContaining("notes.data");
            assertThat(CompressDb.rows(connection, "SELECT body FROM notes WHERE id = ?", payloadRow))
                    .containsExactly("text:" + CompressDb.hookRecord(payloadRow));
        }
    }

    /** Envelopes of format version 1 (no header check), as earlier versions of the driver stored them, still read. */
    @Test
    void envelopesOfFormatVersionOneStillRead() throws Exception {
        Path file = notesWithEnvelopes(3);
        String text = "version one text; ".repeat(50);
        byte[] frame;
        try (com.github.luben.zstd.ZstdCompressCtx zstd = new com.github.luben.zstd.ZstdCompressCtx()) {
            frame = zstd.setLevel(3).setChecksum(true).setContentSize(true).compress(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] zstdText = concat(MAGIC, new byte[] {1, 0, 0, 0, 0, 0}, frame);
        byte[] rawBlob = concat(MAGIC, new byte[] {1, 0x11, 0, 0, 0, 0}, MAGIC, new byte[] {7});
        try (Connection plain = CompressDb.plain(file)) {
            CompressDb.update(plain, "UPDATE notes SET body = ?, data = ? WHERE id = 2", zstdText, rawBlob);
        }
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            assertThat(CompressDb.rows(connection, "SELECT body, data FROM notes WHERE id = 2"))
                    .containsExactly("text:" + text + " | blob:ec45535a07");
            assertThat(CompressDb.rows(connection, "SELECT length(body), hex(data) FROM notes WHERE id = 2"))
                    .containsExactly("integer:" + text.length() + " | text:EC45535A07");
        }
    }

    private static byte[] flip(byte[] stored, int position, int pattern) {
        stored[position] ^= (byte) pattern;
        return stored;
    }

    /** Changes the stored value of one row's column through plain sqlite-jdbc. */
    private static void damage(Path file, String table, String column, int id, java.util.function.UnaryOperator<byte[]> change)
            throws SQLException {
        try (Connection plain = CompressDb.plain(file)) {
            byte[] stored = (byte[]) CompressDb.queryObject(plain, "SELECT " + column + " FROM " + table + " WHERE id = ?",
                    id);
            assertThat(stored).startsWith(MAGIC);
            CompressDb.update(plain, "UPDATE " + table + " SET " + column + " = ? WHERE id = ?",
                    change.apply(stored.clone()), id);
        }
    }

    // ---------------------------------------------------------------- regressions of bugs found and fixed

    /**
     * Through the getters (a bare result column), the error names the result column's label and the result
     * row number, not the table: "Compressed value in result column 1 (value) of row 1 is damaged" for rowid 5.
     */
    @Test
    void aDamagedEnvelopeReadThroughGettersIsAnErrorNamingTableAndColumn() throws Exception {
        Path file = memoryDatabaseWithTenRows(dir);
        damage(file, 5, EnvelopeTest::flipPayloadBytes);
        try (Connection connection = CompressDb.open(file, SETTINGS);
             PreparedStatement select = connection.prepareStatement("SELECT value AS v FROM memory_entries WHERE id = 5");
             ResultSet result = select.executeQuery()) {
            assertThat(result.next()).isTrue();
            assertThatThrownBy(() -> result.getString(1)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("memory_entries").hasMessageContaining("value");
        }
    }

    /** A BLOB literal that begins like an envelope is escaped in SQL, so it is not decoded when read. */
    @Test
    void anEnvelopeLikeBlobLiteralReadsBackExactly() throws Exception {
        Path file = filesDatabase(SETTINGS);
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('real', ?)",
                    (Object) "y".repeat(2000).getBytes(StandardCharsets.UTF_8)); // the column now holds envelopes
            CompressDb.execute(connection,
                    "INSERT INTO files (name, data) VALUES ('literal', X'EC45535A01100000000068656C6C6F')");
            assertThat(CompressDb.rows(connection, "SELECT data, typeof(data) FROM files WHERE name = 'literal'"))
                    .containsExactly("blob:ec45535a01100000000068656c6c6f | text:blob");
        }
    }

    /** A bound BLOB inside an expression is escaped in SQL like any computed value. */
    @Test
    void anEnvelopeLikeBlobBoundInsideAnExpressionReadsBackExactly() throws Exception {
        Path file = filesDatabase(SETTINGS);
        byte[] blob = HexFormat.of().parseHex("EC45535A01100000000068656c6c6f");
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('real', ?)",
                    (Object) "y".repeat(2000).getBytes(StandardCharsets.UTF_8));
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('bound', coalesce(?, X''))", (Object) blob);
            assertThat(CompressDb.rows(connection, "SELECT data FROM files WHERE name = 'bound'"))
                    .containsExactly("blob:ec45535a01100000000068656c6c6f");
        }
    }

    /**
     * INSERT … SELECT decompresses the source in SQL; the rows it stores are escaped again, so an envelope-like BLOB
     * does not arrive raw in a target column that is decoded when read.
     */
    @Test
    void anEnvelopeLikeBlobCopiedWithInsertSelectReadsBackExactly() throws Exception {
        Path file = filesDatabase(SETTINGS);
        byte[] blob = HexFormat.of().parseHex("EC45535A01100000000068656c6c6f");
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('real', ?)",
                    (Object) "y".repeat(2000).getBytes(StandardCharsets.UTF_8));
            CompressDb.update(connection, "INSERT INTO staging (data) VALUES (?)", (Object) blob);
            assertThat((byte[]) CompressDb.queryObject(connection, "SELECT data FROM staging")).isEqualTo(blob);
            CompressDb.update(connection, "INSERT INTO files (name, data) SELECT 'copied', data FROM staging");
            assertThat(CompressDb.rows(connection, "SELECT data FROM files WHERE name = 'copied'"))
                    .containsExactly("blob:ec45535a01100000000068656c6c6f");
        }
    }

    /**
     * With compress=off, reads of a column recorded as compressed still decode envelopes, so values bound into it
     * are escaped too.
     */
    @Test
    void anEnvelopeLikeBlobWrittenWithCompressionOffReadsBackExactly() throws Exception {
        Path file = filesDatabase(SETTINGS);
        byte[] blob = HexFormat.of().parseHex("EC45535A01100000000068656c6c6f");
        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('real', ?)",
                    (Object) "y".repeat(2000).getBytes(StandardCharsets.UTF_8));
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file, "compress=off")) {
            CompressDb.update(connection, "INSERT INTO files (name, data) VALUES ('off', ?)", (Object) blob);
            assertThat(CompressDb.rows(connection, "SELECT data, typeof(data) FROM files WHERE name = 'off'"))
                    .containsExactly("blob:ec45535a01100000000068656c6c6f | text:blob");
        }
    }
}
