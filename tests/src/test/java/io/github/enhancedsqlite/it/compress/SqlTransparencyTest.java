package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wherever a compressed column is read inside SQL, the result is the one a compress=off database with the same
 * data gives; a statement the rewriter cannot understand fails with a clear error instead of answering
 * differently. Two databases with identical rows, one per setting, answer every query.
 */
class SqlTransparencyTest {

    static final String AUTO = "compressThreshold=32";
    static final String OFF = "compress=off";

    @TempDir
    static Path shared;

    static Path off;
    static Path auto;

    @TempDir
    Path dir;

    @BeforeAll
    static void twoDatabasesWithTheSameRows() throws SQLException {
        off = shared.resolve("off.db");
        auto = shared.resolve("auto.db");
        fill(off, OFF);
        fill(auto, AUTO);
        EnhancedSqlite.shutdown();
        assertThat(CompressDb.catalog(auto)).contains("memory_entries.value", "memory_entries.metadata", "notes.body");
        try (Connection plain = CompressDb.plain(auto)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM memory_entries WHERE typeof(value) = 'text'"))
                    .as("every value compressed on the auto side").isZero();
        }
    }

    /** memory_entries, pins (a plain table whose value column is a primary key) and notes (compressed body). */
    static void fill(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            CompressDb.execute(connection, "CREATE TABLE pins (value TEXT PRIMARY KEY, weight INTEGER)",
                    "CREATE TABLE notes (id INTEGER PRIMARY KEY, entry_id INTEGER, body TEXT)");
            for (int i = 0; i < 12; i++) {
                String value = "{\"type\":\"t" + (i % 3) + "\",\"n\":" + i + ",\"tags\":[\"a\",\"b" + i + "\"],\"text\":\""
                        + "lorem ipsum dolor ".repeat(3 + i) + (i % 4 == 0 ? "café 漢字" : "") + "\"}";
                CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace, metadata, created_at,"
                        + " updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "key-" + i, value, "ns" + (i % 2),
                        i % 3 == 0 ? null : "{\"src\":\"" + "meta ".repeat(10 + i % 2) + "\"}", 1000 + i,
                        1000 + (i * 7) % 5, i % 5 == 0 ? null : 2000 + i);
                if (i % 3 == 2) {
                    CompressDb.update(connection, "INSERT INTO pins (value, weight) VALUES (?, ?)", value, i);
                }
                CompressDb.update(connection, "INSERT INTO notes (entry_id, body) VALUES (?, ?)", i + 1,
                        i % 2 == 0 ? value : "note number " + i + " about the entry, long enough to be compressed");
            }
        }
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static Object outcome(Path file, String settings, String sql, Object... parameters) {
        try (Connection connection = CompressDb.open(file, settings)) {
            return CompressDb.rows(connection, sql, parameters);
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }

    static Stream<Arguments> supported() {
        return Stream.of(
                // WHERE, LIKE, comparisons
                Arguments.of("SELECT key FROM memory_entries WHERE value LIKE '%café%' ORDER BY id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value LIKE ? AND metadata NOT LIKE ? ORDER BY id",
                        new Object[] {"%lorem%", "%zzz%"}),
                Arguments.of("SELECT key FROM memory_entries WHERE \"value\" LIKE '%café%' ORDER BY id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries m WHERE m.value LIKE '%café%' AND m.metadata IS NULL", new Object[0]),
                // a quoted table name is the same table (it once skipped the rewrite and found nothing)
                Arguments.of("SELECT count(*) FROM \"memory_entries\" WHERE value LIKE '%café%'", new Object[0]),
                Arguments.of("SELECT count(*) FROM [memory_entries] WHERE [value] LIKE '%café%'", new Object[0]),
                Arguments.of("SELECT count(*) FROM `memory_entries` WHERE `memory_entries`.value LIKE '%café%'",
                        new Object[0]),
                Arguments.of("SELECT \"m\".key FROM \"main\".\"memory_entries\" AS \"m\" WHERE \"m\".\"value\" LIKE"
                        + " '%lorem%' ORDER BY length(\"m\".value), id", new Object[0]),
                Arguments.of("SELECT key FROM main.memory_entries WHERE main.memory_entries.value LIKE '%café%'", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value = (SELECT value FROM memory_entries WHERE id = 3)",
                        new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value BETWEEN '{\"type\":\"t1\"' AND '{\"type\":\"t2\"'"
                        + " ORDER BY key", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value > ? ORDER BY id", new Object[] {"{\"type\":\"t1\""}),
                Arguments.of("SELECT key FROM memory_entries WHERE value IN ('x', 'y') OR value IS NULL OR +value = ''",
                        new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value LIKE '%caf%' ESCAPE '\\' AND NOT value LIKE '%n\":4%'"
                        + " ORDER BY id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE expires_at IS NOT NULL AND expires_at < 2005 ORDER BY id",
                        new Object[0]),
                // SQLite syntax JSqlParser does not read, once refused (SqliteGrammarTest walks the rest)
                Arguments.of("SELECT key FROM memory_entries WHERE value GLOB '*lorem*' ORDER BY id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value IS ? ORDER BY id", new Object[] {"x"}),
                Arguments.of("SELECT key FROM memory_entries INDEXED BY idx_memory_namespace WHERE namespace = 'ns0'"
                        + " AND value NOT NULL ORDER BY id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE\tvalue LIKE '%café%' -- trailing comment", new Object[0]),
                Arguments.of("/* lead */ SELECT key, value FROM memory_entries WHERE /* c */ value LIKE '%caf%'\nORDER BY\nid",
                        new Object[0]),
                // functions
                Arguments.of("SELECT id, length(value), substr(value, 5, 12), value || '#', typeof(value), typeof(metadata),"
                        + " upper(metadata), instr(value, 'caf'), hex(substr(value, 1, 4)), quote(substr(value, 1, 3)),"
                        + " unicode(value), length(CAST(value AS BLOB)), printf('%.10s', value) FROM memory_entries ORDER BY id",
                        new Object[0]),
                Arguments.of("SELECT id, CASE WHEN value LIKE '%t1%' THEN 'one' WHEN length(value) > 150 THEN 'long'"
                        + " ELSE 'other' END, CASE value WHEN 'x' THEN 1 ELSE 2 END, coalesce(metadata, value),"
                        + " iif(metadata IS NULL, 'none', substr(metadata, 1, 9)) FROM memory_entries ORDER BY id", new Object[0]),
                Arguments.of("SELECT json_extract(value, '$.n'), json_extract(value, '$.tags[1]'), value ->> '$.type',"
                        + " value -> '$.tags', json_type(value, '$.tags'), json_valid(value) FROM memory_entries ORDER BY id",
                        new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE json_extract(value, '$.type') = ? AND"
                        + " json_extract(value, '$.n') BETWEEN 2 AND 9 ORDER BY id", new Object[] {"t1"}),
                Arguments.of("SELECT json_group_array(json_extract(value, '$.n')), max(value), min(metadata),"
                        + " count(DISTINCT value), total(length(metadata)) FROM memory_entries", new Object[0]),
                // ORDER BY, GROUP BY, HAVING, DISTINCT
                Arguments.of("SELECT key, value FROM memory_entries ORDER BY value DESC LIMIT 4", new Object[0]),
                Arguments.of("SELECT key, value AS v FROM memory_entries ORDER BY v LIMIT 4 OFFSET 2", new Object[0]),
                Arguments.of("SELECT key, value FROM memory_entries ORDER BY 2, 1", new Object[0]),
                Arguments.of("SELECT value COLLATE NOCASE AS v FROM memory_entries ORDER BY v", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries ORDER BY json_extract(value, '$.n') DESC LIMIT 3", new Object[0]),
                Arguments.of("SELECT namespace, sum(length(value)), count(*), max(length(metadata)) FROM memory_entries"
                        + " GROUP BY namespace HAVING sum(length(value)) > 10 ORDER BY namespace", new Object[0]),
                Arguments.of("SELECT metadata, count(*) FROM memory_entries GROUP BY metadata HAVING count(*) > 1"
                        + " ORDER BY metadata", new Object[0]),
                Arguments.of("SELECT value, count(*) FROM memory_entries GROUP BY value ORDER BY 1", new Object[0]),
                Arguments.of("SELECT iif(length(value) > 100, 'big', 'small') AS size, count(*) FROM memory_entries"
                        + " GROUP BY size ORDER BY size", new Object[0]),
                Arguments.of("SELECT DISTINCT metadata FROM memory_entries ORDER BY 1", new Object[0]),
                Arguments.of("SELECT DISTINCT namespace, json_extract(value, '$.type') FROM memory_entries ORDER BY 1, 2",
                        new Object[0]),
                Arguments.of("SELECT namespace, group_concat(key, ',' ORDER BY value) FROM memory_entries GROUP BY namespace"
                        + " ORDER BY namespace", new Object[0]),
                // joins and sub-queries
                Arguments.of("SELECT m.key, p.weight FROM memory_entries m JOIN pins p ON p.value = m.value ORDER BY m.id",
                        new Object[0]),
                Arguments.of("SELECT m.*, p.* FROM memory_entries m LEFT JOIN pins p ON p.value = m.value WHERE m.id < 6"
                        + " ORDER BY m.id", new Object[0]),
                Arguments.of("SELECT m.key, n.body FROM memory_entries m JOIN notes n ON n.entry_id = m.id"
                        + " WHERE n.body LIKE '%note%' OR m.value = n.body ORDER BY m.id", new Object[0]),
                Arguments.of("SELECT count(*) FROM memory_entries a JOIN memory_entries b ON a.value = b.value", new Object[0]),
                Arguments.of("SELECT count(*) FROM memory_entries a, memory_entries b WHERE a.value < b.value", new Object[0]),
                Arguments.of("SELECT m.key FROM memory_entries m, notes n WHERE n.body = m.value ORDER BY m.id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries WHERE value IN (SELECT value FROM pins) ORDER BY id", new Object[0]),
                Arguments.of("SELECT key FROM memory_entries m WHERE EXISTS (SELECT 1 FROM notes n WHERE n.body = m.value)"
                        + " ORDER BY id", new Object[0]),
                Arguments.of("SELECT key, (SELECT count(*) FROM pins p WHERE p.value = m.value),"
                        + " (SELECT body FROM notes n WHERE n.entry_id = m.id) FROM memory_entries m ORDER BY key", new Object[0]),
                Arguments.of("SELECT * FROM (SELECT key, value FROM memory_entries WHERE namespace = 'ns0') sub"
                        + " WHERE sub.value LIKE '%lorem%' ORDER BY key", new Object[0]),
                Arguments.of("SELECT (SELECT value FROM memory_entries WHERE id = 2) AS v", new Object[0]),
                Arguments.of("VALUES ((SELECT value FROM memory_entries WHERE id = 1), (SELECT max(body) FROM notes))",
                        new Object[0]),
                // CTEs and compound selects
                Arguments.of("WITH c AS (SELECT key, value FROM memory_entries WHERE namespace = 'ns0')"
                        + " SELECT key, length(value), value FROM c ORDER BY key", new Object[0]),
                Arguments.of("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)"
                        + " SELECT n.i, substr(m.value, n.i, 5) FROM n JOIN memory_entries m ON m.id = n.i ORDER BY 1",
                        new Object[0]),
                Arguments.of("WITH big AS (SELECT id FROM memory_entries WHERE length(value) > 150)"
                        + " SELECT key, value FROM memory_entries WHERE id IN (SELECT id FROM big) ORDER BY id", new Object[0]),
                Arguments.of("SELECT value FROM memory_entries UNION SELECT value FROM pins UNION SELECT body FROM notes"
                        + " ORDER BY 1", new Object[0]),
                Arguments.of("SELECT key, value FROM memory_entries WHERE id = 4 UNION ALL SELECT 'x', body FROM notes"
                        + " WHERE id = 2", new Object[0]),
                Arguments.of("SELECT value FROM memory_entries INTERSECT SELECT body FROM notes ORDER BY 1", new Object[0]),
                Arguments.of("SELECT metadata FROM memory_entries EXCEPT SELECT value FROM pins ORDER BY 1", new Object[0]),
                // bare result columns decoded by the getters
                Arguments.of("SELECT * FROM memory_entries ORDER BY id", new Object[0]),
                Arguments.of("SELECT value, metadata, value FROM memory_entries WHERE id = ?", new Object[] {2}),
                Arguments.of("SELECT rowid, _rowid_, value FROM memory_entries WHERE rowid = 3", new Object[0]),
                Arguments.of("SELECT key, lag(length(value)) OVER (ORDER BY id) FROM memory_entries ORDER BY id", new Object[0]),
                Arguments.of("SELECT key, first_value(key) OVER (PARTITION BY value ORDER BY id) FROM memory_entries"
                        + " ORDER BY id", new Object[0]));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("supported")
    void queriesAnswerAsWithoutCompression(String sql, Object[] parameters) {
        Object expected = outcome(off, OFF, sql, parameters);
        assertThat(expected).as("the reference answers").isInstanceOf(List.class);
        assertThat(outcome(auto, AUTO, sql, parameters)).isEqualTo(expected);
    }

    /**
     * Statements the rewriter cannot account for: the columns of the tables they name are returned to plain storage
     * first and they run as written, answering as without compression (on a copy: the shared database stays
     * compressed for the other cases).
     */
    static Stream<Arguments> notUnderstood() {
        return Stream.of(
                Arguments.of("SELECT a.key FROM memory_entries a NATURAL JOIN memory_entries b ORDER BY 1"),
                Arguments.of("SELECT a.key FROM memory_entries a JOIN memory_entries b USING (value) ORDER BY 1"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notUnderstood")
    void statementsTheRewriterCannotUnderstandAnswerAsWithoutCompression(String sql) throws Exception {
        Object expected = outcome(off, OFF, sql);
        assertThat(expected).as("the reference answers").isInstanceOf(List.class);
        Path copy = dir.resolve("auto-copy.db");
        java.nio.file.Files.copy(auto, copy);
        assertThat(outcome(copy, AUTO, sql)).isEqualTo(expected);
        assertThat(CompressDb.catalog(copy)).as("returned to plain storage").doesNotContain("memory_entries.value");
    }

    /**
     * A read-only connection cannot return columns to plain storage: it reads decoded copies instead, answers as
     * without compression, and nothing in the file changes.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notUnderstood")
    void aReadOnlyConnectionAnswersWhatTheRewriterCannotAccountForWithoutWriting(String sql) throws Exception {
        Object expected = outcome(off, OFF, sql);
        assertThat(expected).as("the reference answers").isInstanceOf(List.class);
        Path copy = dir.resolve("auto-copy.db");
        java.nio.file.Files.copy(auto, copy);
        try (Connection connection = CompressDb.open(copy, AUTO)) {
            connection.setReadOnly(true);
            assertThat(CompressDb.rows(connection, sql)).isEqualTo(expected);
        }
        assertThat(CompressDb.catalog(copy)).contains("memory_entries.value");
        try (Connection plain = CompressDb.plain(copy)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM memory_entries WHERE typeof(value) = 'blob'"))
                    .as("still stored compressed").isPositive();
        }
    }

    @Test
    void updateSetColumnConcatenatedAnswersAsWithoutCompression() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve(settings.replace('=', '-') + ".db");
            fill(file, settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                results.add(CompressDb.update(connection, "UPDATE memory_entries SET value = value || ? WHERE key LIKE ?",
                        " (edited ✓)", "key-1%"));
                results.add(CompressDb.update(connection, "UPDATE memory_entries SET metadata = coalesce(metadata, '')"
                        + " || substr(value, 1, 20), access_count = access_count + 1 WHERE value LIKE '%café%'"));
                results.add(CompressDb.update(connection, "UPDATE notes SET body = body || (SELECT m.value FROM"
                        + " memory_entries m WHERE m.id = notes.entry_id) WHERE id % 3 = 0"));
                results.add(CompressDb.update(connection, "UPDATE memory_entries SET value = ? WHERE value LIKE ?",
                        "{\"replaced\":true,\"text\":\"" + "replacement ".repeat(10) + "\"}", "%n\":5,%"));
                results.add(CompressDb.update(connection, "DELETE FROM memory_entries WHERE value LIKE '%n\":7,%'"));
                results.add(CompressDb.update(connection, "INSERT INTO notes (entry_id, body) SELECT id, value FROM"
                        + " memory_entries WHERE CASE WHEN json_valid(value) THEN json_extract(value, '$.type') END = 't2'"));
                results.add(CompressDb.rows(connection, "SELECT id, key, value, typeof(value), metadata, access_count"
                        + " FROM memory_entries ORDER BY id"));
                results.add(CompressDb.rows(connection, "SELECT id, entry_id, body, length(body) FROM notes ORDER BY id"));
            }
            outcomes.add(results);
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * INSERT OR IGNORE/REPLACE … SELECT cannot be parsed by JSqlParser 5.3: with compressed values present it is
     * refused (a clear error, as designed); it must not run unchanged.
     */
    @Test
    void insertOrIgnoreSelectFromACompressedTableIsRefusedOrCorrect() throws SQLException {
        Path autoCopy = dir.resolve("auto.db");
        fill(autoCopy, AUTO);
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(autoCopy, AUTO)) {
            CompressDb.execute(connection, "CREATE TABLE copies (key TEXT PRIMARY KEY, value TEXT)");
            Throwable failure = catchThrowable(() -> CompressDb.update(connection,
                    "INSERT OR IGNORE INTO copies (key, value) SELECT key, value FROM memory_entries"));
            if (failure != null) {
                assertThat(failure).isInstanceOf(SQLException.class).hasMessageContaining("memory_entries");
            } else {
                assertThat(CompressDb.rows(connection, "SELECT value FROM copies ORDER BY key"))
                        .isEqualTo(CompressDb.rows(connection, "SELECT value FROM memory_entries ORDER BY key"));
            }
        }
    }

    // ---------------------------------------------------------------- regressions of bugs found and fixed

    /**
     * Parsed statements whose compressed-column references the rewriter does not wrap: SQLite compares or sorts
     * the stored envelopes and silently answers differently (or fails with an unrelated SQLite error).
     */
    static Stream<Arguments> missedReferences() {
        return Stream.of(
                // USING / NATURAL join where only the left side is compressed: SqlRewriter.plainSelect checks the right only
                Arguments.of("SELECT m.key FROM memory_entries m JOIN pins USING (value) ORDER BY m.id"),
                Arguments.of("SELECT m.key FROM memory_entries m NATURAL JOIN pins ORDER BY m.id"),
                Arguments.of("SELECT key FROM memory_entries m JOIN (SELECT value FROM pins) d USING (value) ORDER BY m.id"),
                // a result alias of a bare compressed column, used in WHERE or inside an ORDER BY expression
                Arguments.of("SELECT value AS v FROM memory_entries WHERE v LIKE '%café%' ORDER BY id"),
                Arguments.of("SELECT key, value AS v FROM memory_entries WHERE length(v) > 150 ORDER BY id"),
                Arguments.of("SELECT key, value AS v FROM memory_entries ORDER BY length(v), key"),
                // window definitions and aggregate FILTER clauses are not visited
                Arguments.of("SELECT key, row_number() OVER (ORDER BY value DESC) FROM memory_entries ORDER BY key"),
                Arguments.of("SELECT key, rank() OVER w FROM memory_entries WINDOW w AS (ORDER BY value) ORDER BY id"),
                Arguments.of("SELECT namespace, count(*) FILTER (WHERE value LIKE '%café%') FROM memory_entries"
                        + " GROUP BY namespace ORDER BY namespace"),
                // a table-valued function's argument refers to an earlier FROM item, which is not in its scope
                Arguments.of("SELECT m.key, j.value FROM memory_entries m, json_each(m.value, '$.tags') j ORDER BY 1, 2"),
                // [bracket] quoting: the splice lands inside the brackets
                Arguments.of("SELECT key FROM memory_entries WHERE [value] LIKE '%café%' ORDER BY id"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("missedReferences")
    void referencesTheRewriterMissesAnswerAsWithoutCompression(String sql) {
        Object expected = outcome(off, OFF, sql);
        assertThat(expected).as("the reference answers").isInstanceOf(List.class);
        Path copy = dir.resolve("auto-copy.db"); // a USING join returns its columns to plain storage
        try {
            java.nio.file.Files.copy(auto, copy);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(outcome(copy, AUTO, sql)).isEqualTo(expected);
    }

    /**
     * TEXT that is not valid UTF-8 (what SQLite's BLOB || TEXT and CAST(blob AS TEXT) produce) cannot pass through
     * a Java function unchanged; wherever a compressed column is read in SQL it must still read the same.
     */
    @Test
    void textThatIsNotValidUtf8ReadsTheSame() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve(settings.replace('=', '-') + ".db");
            fill(file, settings);
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.update(connection, "UPDATE memory_entries SET value = CAST(X'7EF3D1DA76E282AC' AS TEXT) || value"
                        + " WHERE id = 1");
                outcomes.add(CompressDb.rows(connection, "SELECT typeof(value), hex(value), length(value),"
                        + " hex(substr(value, 1, 4)) FROM memory_entries WHERE id = 1"));
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * sqlite-jdbc labels an unaliased expression column with its SQL text; the rewritten text must not show
     * through, or getString("length(value)") and label-based row mappers fail.
     */
    @Test
    void expressionColumnLabelsAreThoseOfTheStatementAsWritten() throws SQLException {
        String sql = "SELECT key, length(value), json_extract(value, '$.n'), typeof(metadata) FROM memory_entries"
                + " WHERE id = 2";
        List<String> labels = new ArrayList<>();
        for (Path file : new Path[] {off, auto}) {
            try (Connection connection = CompressDb.open(file, file == off ? OFF : AUTO);
                 PreparedStatement statement = connection.prepareStatement(sql);
                 ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(meta.getColumnLabel(i)).append(" / ").append(meta.getColumnName(i)).append("; ");
                }
                labels.add(row.toString());
            }
        }
        assertThat(labels.get(1)).isEqualTo(labels.get(0));
    }

    /**
     * Schema leaves generated columns out of TableInfo.columns (hidden != 0), but SELECT * includes them: the
     * getter decoding is shifted by one (the compressed column comes back as envelope bytes) and a spelled-out
     * star drops the generated column.
     */
    @Test
    void selectStarOverATableWithAGeneratedColumn() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve(settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE docs (id INTEGER PRIMARY KEY,"
                        + " doubled INTEGER GENERATED ALWAYS AS (id * 2), body TEXT)");
                CompressDb.update(connection, "INSERT INTO docs (id, body) VALUES (1, ?)", CompressDb.hookRecord(1));
                List<Object> results = new ArrayList<>();
                results.add(CompressDb.rows(connection, "SELECT * FROM docs"));
                results.add(CompressDb.rows(connection, "SELECT DISTINCT * FROM docs"));
                results.add(CompressDb.rows(connection, "SELECT d.* FROM docs d WHERE d.body LIKE '%pre-bash%'"));
                outcomes.add(results);
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A comparison takes its collation from a column reference, which a decompressed value no longer is: a column
     * that declares a collation is therefore never compressed, and compares as declared.
     */
    @Test
    void aColumnWithADeclaredCollationComparesAsDeclared() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve("collate-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT COLLATE NOCASE,"
                        + " body TEXT)");
                CompressDb.update(connection, "INSERT INTO tags (label, body) VALUES (?, ?)", "Urgent".repeat(20),
                        CompressDb.hookRecord(1));
                outcomes.add(CompressDb.rows(connection, "SELECT id, label = ? FROM tags WHERE label = ?",
                        "URGENT".repeat(20), "urgent".repeat(20)));
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(CompressDb.storedType(dir.resolve("collate-compressThreshold-32.db"), "tags", "body", "id = 1"))
                .as("the table has compressed values").isEqualTo("blob");
        assertThat(outcomes.get(0)).as("the reference finds the row").isNotEqualTo(List.of());
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A comparison also takes TEXT affinity from a column reference: {@code body = 5} finds the TEXT '5' without
     * compression; a decompressed value has no affinity, so the rewrite must convert the number (or the number bound
     * to a parameter) itself — and leave a BLOB bound to a parameter a BLOB.
     */
    @Test
    void comparingATextColumnWithANumberAppliesTheColumnsAffinity() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve("affinity-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", CompressDb.hookRecord(1));
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", "5");
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", "5.5");
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", (Object) new byte[] {5});
                outcomes.add(List.of(CompressDb.rows(connection, "SELECT id FROM notes WHERE body = 5"),
                        CompressDb.rows(connection, "SELECT id FROM notes WHERE 5.5 = body OR body > 9"),
                        CompressDb.rows(connection, "SELECT id FROM notes WHERE body = 2 + 3 OR body = (11 / 2.0)"),
                        CompressDb.rows(connection, "SELECT id FROM notes WHERE body IN (?, 6) ORDER BY id", 5),
                        // JSqlParser reads the list as "(?, 6) OR id = 99": the list must still be found
                        CompressDb.rows(connection, "SELECT id FROM notes WHERE body IN (?, 6) OR id = 99", 5),
                        CompressDb.rows(connection, "SELECT id FROM notes WHERE body = ?", (Object) new byte[] {5}),
                        CompressDb.rows(connection, "SELECT id FROM notes WHERE body BETWEEN ? AND 5 ORDER BY id", 4),
                        CompressDb.rows(connection, "SELECT id, body < 7 FROM notes ORDER BY id")));
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(CompressDb.storedType(dir.resolve("affinity-compressThreshold-32.db"), "notes", "body", "id = 1"))
                .as("the column holds compressed values").isEqualTo("blob");
        assertThat(((List<?>) outcomes.get(0)).get(0)).as("the reference finds '5'").isEqualTo(List.of("integer:2"));
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * The rewrite converts numbers it can see (literals, arithmetic, parameters) compared with a compressed TEXT
     * column, not function results: {@code body = abs(-5)} finds the TEXT '5' without compression and nothing with it.
     */
    @Test
    void comparingATextColumnWithAFunctionResultAppliesTheColumnsAffinity() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve("computed-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", CompressDb.hookRecord(1));
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", "5");
                outcomes.add(CompressDb.rows(connection, "SELECT id FROM notes WHERE body = abs(-5)"));
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(0)).as("the reference finds '5'").isEqualTo(List.of("integer:2"));
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /** A function of the row converted as TEXT affinity converts it, once per row, in a correlated sub-select. */
    @Test
    void aFunctionOfTheRowComparedWithACompressedTextColumnAppliesTheColumnsAffinity() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve("computed-row-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", CompressDb.hookRecord(1));
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?)", "2");
                outcomes.add(CompressDb.rows(connection, "SELECT id FROM notes WHERE body = abs(id)"));
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(0)).as("the reference finds '2'").isEqualTo(List.of("integer:2"));
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    @Test
    void anAggregateComparedWithACompressedTextColumnAnswersAsWithoutCompression() throws SQLException {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve("computed-aggregate-" + settings.replace('=', '-') + ".db");
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
                CompressDb.update(connection, "INSERT INTO notes (body) VALUES (?), ('1')", CompressDb.hookRecord(1));
                outcomes.add(CompressDb.rows(connection, "SELECT id FROM notes GROUP BY id HAVING body = count(*)"));
                outcomes.add(CompressDb.rows(connection,
                        "SELECT id FROM notes GROUP BY id HAVING body = CAST(count(*) AS TEXT)"));
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(0)).as("the reference finds '1'").isEqualTo(List.of("integer:2"));
        assertThat(outcomes.subList(2, 4)).isEqualTo(outcomes.subList(0, 2));
    }
}
