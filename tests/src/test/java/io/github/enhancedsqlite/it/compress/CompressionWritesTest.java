package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What gets stored compressed, seen through plain sqlite-jdbc: values above the threshold bound into INSERT,
 * UPDATE and the upsert forms, in columns no index or constraint looks at; the column is recorded in the
 * database; compress=off, an explicit column list, the threshold and the level are honoured; the driver's own
 * tables stay out of metadata listings.
 */
class CompressionWritesTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Path memoryDatabase(String settings) throws SQLException {
        Path file = dir.resolve("memory.db");
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
        }
        return file;
    }

    private static void upsert(Connection connection, String key, String value, String metadata, long at)
            throws SQLException {
        CompressDb.update(connection, CompressDb.UPSERT, key, value, "default", metadata, at, at, at, null, null);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void insertedValuesAboveTheDefaultThresholdAreStoredCompressedAndRecorded() throws Exception {
        Path file = memoryDatabase(null); // nothing set: compression is on by default
        String big = CompressDb.hookRecord(1);
        String small = "{\"n\":1}";
        assertThat(utf8Length(big)).isGreaterThan(256);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace) VALUES (?, ?, ?)",
                    "big", big, "default");
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace) VALUES (?, ?, ?)",
                    "small", small, "default");
            assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries WHERE key = 'big'"))
                    .isEqualTo(big);
            assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries WHERE key = 'small'"))
                    .isEqualTo(small);
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'big'")).isEqualTo("blob");
        assertThat(CompressDb.storedLength(file, "memory_entries", "value", "key = 'big'"))
                .isLessThan(utf8Length(big));
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'small'")).isEqualTo("text");
        assertThat(CompressDb.catalog(file)).containsExactly("memory_entries.value");
    }

    @Test
    void aQuotedTableNameIsTheSameTableForWritesAndReads() throws Exception {
        Path file = memoryDatabase(null);
        String big = CompressDb.hookRecord(3);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.update(connection, "INSERT INTO \"memory_entries\" (\"key\", \"value\", namespace) VALUES (?, ?, ?)",
                    "quoted", big, "default");
            CompressDb.update(connection, "UPDATE [memory_entries] SET [value] = ? WHERE key = 'quoted'", big + "!");
            assertThat(CompressDb.queryString(connection,
                    "SELECT count(*) FROM `memory_entries` WHERE value LIKE '%!' AND length(\"value\") = ?",
                    utf8Length(big) + 1)).isEqualTo("1");
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'quoted'")).isEqualTo("blob");
        assertThat(CompressDb.catalog(file)).containsExactly("memory_entries.value");
    }

    @Test
    void aColumnNamedAgainOnlyInACommentIsStillCompressed() throws Exception {
        Path file = dir.resolve("commented.db");
        String big = CompressDb.hookRecord(4);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.execute(connection, "CREATE TABLE vectors (id INTEGER PRIMARY KEY, -- embedding: a JSON array\n"
                    + " embedding TEXT /* embedding may be large */)");
            CompressDb.update(connection, "INSERT INTO vectors (embedding) VALUES (?)", big);
            assertThat(CompressDb.queryString(connection, "SELECT embedding FROM vectors")).isEqualTo(big);
        }
        assertThat(CompressDb.storedType(file, "vectors", "embedding", "id = 1")).isEqualTo("blob");
    }

    @Test
    void updateStoresTheNewValueCompressed() throws Exception {
        Path file = memoryDatabase(null);
        String big = CompressDb.hookRecord(2);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES ('k', 'short')");
            assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'k'")).isEqualTo("text");
            assertThat(CompressDb.update(connection, "UPDATE memory_entries SET value = ?, metadata = ? WHERE key = ?",
                    big, big, "k")).isEqualTo(1);
            assertThat(CompressDb.rows(connection, "SELECT value, metadata FROM memory_entries WHERE key = 'k'"))
                    .containsExactly("text:" + big + " | text:" + big);
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'k'")).isEqualTo("blob");
        assertThat(CompressDb.storedType(file, "memory_entries", "metadata", "key = 'k'")).isEqualTo("blob");
        assertThat(CompressDb.catalog(file)).containsExactly("memory_entries.metadata", "memory_entries.value");
    }

    @Test
    void upsertOnConflictDoUpdateStoresCompressedAndCountsAccesses() throws Exception {
        Path file = memoryDatabase(null);
        String first = CompressDb.hookRecord(3);
        String second = CompressDb.hookRecord(4);
        try (Connection connection = CompressDb.open(file)) {
            upsert(connection, "k", first, null, 1);
            upsert(connection, "k", second, first, 2);
            assertThat(CompressDb.rows(connection,
                    "SELECT value, metadata, access_count, updated_at FROM memory_entries WHERE key = 'k'"))
                    .containsExactly("text:" + second + " | text:" + first + " | integer:1 | integer:2");
            // the other form: DO UPDATE binding the value directly
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES (?, ?) ON CONFLICT(key,"
                    + " namespace) DO UPDATE SET value = ?, access_count = access_count + 1", "k", "unused", first);
            assertThat(CompressDb.rows(connection, "SELECT value, access_count FROM memory_entries WHERE key = 'k'"))
                    .containsExactly("text:" + first + " | integer:2");
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'k'")).isEqualTo("blob");
        assertThat(CompressDb.storedType(file, "memory_entries", "metadata", "key = 'k'")).isEqualTo("blob");
        assertThat(CompressDb.storedLength(file, "memory_entries", "value", "key = 'k'")).isLessThan(utf8Length(first));
    }

    @Test
    void insertOrReplaceAndReplaceIntoStoreCompressed() throws Exception {
        Path file = memoryDatabase(null);
        String value = CompressDb.hookRecord(5);
        try (Connection connection = CompressDb.open(file)) {
            for (String verb : new String[] {"INSERT OR REPLACE", "REPLACE"}) {
                for (int round = 0; round < 2; round++) {
                    CompressDb.update(connection, verb + " INTO memory_entries (key, value, namespace) VALUES (?, ?, ?)",
                            verb, value + round, "default");
                }
            }
            assertThat(CompressDb.rows(connection, "SELECT key, value FROM memory_entries ORDER BY key"))
                    .containsExactly("text:INSERT OR REPLACE | text:" + value + "1", "text:REPLACE | text:" + value + "1");
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'INSERT OR REPLACE'")).isEqualTo("blob");
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'REPLACE'")).isEqualTo("blob");
    }

    @Test
    void columnsInAnIndexPrimaryKeyOrUniqueConstraintAreNeverCompressed() throws Exception {
        Path file = dir.resolve("constraints.db");
        String big = CompressDb.hookRecord(6);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            CompressDb.execute(connection,
                    "CREATE TABLE docs (slug TEXT PRIMARY KEY, title TEXT UNIQUE, tag TEXT, summary TEXT, body TEXT,"
                            + " checked TEXT CHECK (length(checked) < 100000))",
                    "CREATE INDEX idx_docs_tag ON docs(tag)",
                    "CREATE INDEX idx_docs_summary ON docs(json_extract(summary, '$.type'))");
            // key and namespace: UNIQUE(key, namespace); namespace also indexed
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value, namespace) VALUES (?, ?, ?)",
                    big, big, big);
            CompressDb.update(connection, "INSERT INTO docs (slug, title, tag, summary, body, checked)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", big, big + "t", big, big, big, big);
            assertThat(CompressDb.rows(connection, "SELECT slug, title, tag, summary, body, checked FROM docs"))
                    .containsExactly(String.join(" | ", "text:" + big, "text:" + big + "t", "text:" + big, "text:" + big,
                            "text:" + big, "text:" + big));
        }
        for (String column : new String[] {"key", "namespace"}) {
            assertThat(CompressDb.storedType(file, "memory_entries", column, "id = 1")).as(column).isEqualTo("text");
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "id = 1")).isEqualTo("blob");
        for (String column : new String[] {"slug", "title", "tag", "summary", "checked"}) {
            assertThat(CompressDb.storedType(file, "docs", column, "rowid = 1")).as(column).isEqualTo("text");
        }
        assertThat(CompressDb.storedType(file, "docs", "body", "rowid = 1")).isEqualTo("blob");
        assertThat(CompressDb.catalog(file)).containsExactly("docs.body", "memory_entries.value");
    }

    @Test
    void compressOffStoresEverythingAsItIs() throws Exception {
        Path file = memoryDatabase("compress=off");
        String big = CompressDb.hookRecord(7);
        try (Connection connection = CompressDb.open(file, "compress=off")) {
            upsert(connection, "k", big, big, 1);
            upsert(connection, "k", big + "!", big, 2);
            assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries")).isEqualTo(big + "!");
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'k'")).isEqualTo("text");
        assertThat(CompressDb.storedType(file, "memory_entries", "metadata", "key = 'k'")).isEqualTo("text");
        assertThat(CompressDb.catalog(file)).isEmpty();
    }

    @Test
    void anExplicitListCompressesOnlyTheListedColumns() throws Exception {
        String settings = "compress=memory_entries.value";
        Path file = memoryDatabase(settings);
        String big = CompressDb.hookRecord(8);
        try (Connection connection = CompressDb.open(file, settings)) {
            upsert(connection, "k", big, big, 1);
            assertThat(CompressDb.rows(connection, "SELECT value, metadata FROM memory_entries"))
                    .containsExactly("text:" + big + " | text:" + big);
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'k'")).isEqualTo("blob");
        assertThat(CompressDb.storedType(file, "memory_entries", "metadata", "key = 'k'")).isEqualTo("text");
        assertThat(CompressDb.catalog(file)).containsExactly("memory_entries.value");
    }

    @Test
    void theThresholdIsASetting() throws Exception {
        String settings = "compressThreshold=1000";
        Path file = memoryDatabase(settings);
        String below = "a".repeat(999);
        String at = "b".repeat(1000);
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES ('below', ?)", below);
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES ('at', ?)", at);
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES ('hook', ?)",
                    CompressDb.hookRecord(9)); // ~430 bytes: compressed by default, not with this threshold
            assertThat(CompressDb.rows(connection, "SELECT key, length(value) FROM memory_entries ORDER BY id"))
                    .containsExactly("text:below | integer:999", "text:at | integer:1000",
                            "text:hook | integer:" + CompressDb.hookRecord(9).length());
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'below'")).isEqualTo("text");
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'at'")).isEqualTo("blob");
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'hook'")).isEqualTo("text");
    }

    /**
     * compressLevel applies below compressLargeThreshold and compressLargeLevel from there up (issue 13: large
     * values at a faster level); each value reads back identical whatever level wrote it.
     */
    @Test
    void theLevelsAreSettings() throws Exception {
        // 64 KB of text with a limited vocabulary: stronger levels find noticeably more to save
        Random random = new Random(42);
        String[] words = {"agent", "memory", "swarm", "session", "task", "hook", "edit", "bash", "review", "deploy",
            "queue", "worker", "status", "pending", "done", "error", "retry", "build", "commit", "test"};
        StringBuilder text = new StringBuilder();
        while (text.length() < 64 * 1024) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(100)).append(' ');
        }
        String value = text.toString();
        long fast = storedAt("compressLevel=1&compressLargeLevel=1", "fast.db", value);
        long strongBelowThreshold = storedAt("compressLevel=19&compressLargeThreshold=100000", "small19.db", value);
        long largeAtDefault = storedAt("compressLevel=19", "large-default.db", value);
        long strongLarge = storedAt("compressLevel=1&compressLargeLevel=19", "large19.db", value);

        assertThat(strongBelowThreshold).as("compressLevel=19 below the large threshold vs level 1 (%s)", fast)
                .isLessThan(fast * 95 / 100);
        assertThat(largeAtDefault).as("a 64 KB value at the default compressLargeLevel, whatever compressLevel")
                .isEqualTo(fast);
        assertThat(strongLarge).as("compressLargeLevel=19 vs level 1 (%s)", fast).isLessThan(fast * 95 / 100);
    }

    private long storedAt(String settings, String name, String value) throws Exception {
        Path file = dir.resolve(name);
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES ('k', ?)", value);
            assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries")).isEqualTo(value);
        }
        EnhancedSqlite.shutdown(); // so the file opens again with other settings
        try (Connection connection = CompressDb.open(file, "compressLevel=22&compressLargeLevel=-7")) {
            assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries"))
                    .as("read by a pool with other levels").isEqualTo(value);
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "key = 'k'")).isEqualTo("blob");
        return CompressDb.storedLength(file, "memory_entries", "value", "key = 'k'");
    }

    @Test
    void theDriversOwnTablesAreHiddenFromDatabaseMetaData() throws Exception {
        String settings = "compressThreshold=32&compressDictionarySamples=20";
        Path file = memoryDatabase(settings);
        try (Connection connection = CompressDb.open(file, settings)) {
            for (int i = 0; i < 40; i++) {
                CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES (?, ?)", "k" + i,
                        CompressDb.hookRecord(i));
            }
        }
        EnhancedSqlite.shutdown(); // finishes training the dictionary, so both tables exist
        try (Connection connection = CompressDb.open(file, settings)) {
            DatabaseMetaData meta = connection.getMetaData();
            assertThat(tableNames(meta.getTables(null, null, "%", null))).contains("memory_entries")
                    .noneMatch(name -> name.startsWith("_enhanced_sqlite_"));
            assertThat(tableNames(meta.getTables(null, null, "%", new String[] {"TABLE"}))).contains("memory_entries")
                    .noneMatch(name -> name.startsWith("_enhanced_sqlite_"));
            assertThat(tableNames(meta.getTables(null, null, "_enhanced_sqlite_columns", null))).isEmpty();
            assertThat(tableNames(meta.getTables(null, null, "\\_enhanced%", null))).isEmpty();
        }
        try (Connection plain = CompressDb.plain(file)) {
            assertThat(tableNames(plain.getMetaData().getTables(null, null, "%", null)))
                    .contains("_enhanced_sqlite_columns", "_enhanced_sqlite_dictionaries");
        }
    }

    /**
     * A user table whose name only resembles the driver's own (an unescaped {@code _} in a LIKE matches any
     * character) is an ordinary table: its values are compressed and metadata lists it. The list of tables whose
     * columns take compressed values used {@code NOT LIKE '_enhanced_sqlite_%'} without ESCAPE, so this table's
     * values were stored as they are.
     */
    @Test
    void aUserTableNamedLikeTheDriversOwnWhenUnderscoresMatchAnyCharacterIsAnOrdinaryTable() throws Exception {
        Path file = dir.resolve("lookalike.db");
        String big = CompressDb.hookRecord(7);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.execute(connection, "CREATE TABLE xenhancedxsqlitexnotes (id INTEGER PRIMARY KEY, body TEXT)");
            CompressDb.update(connection, "INSERT INTO xenhancedxsqlitexnotes (id, body) VALUES (?, ?)", 1, big);
            assertThat(CompressDb.queryString(connection, "SELECT body FROM xenhancedxsqlitexnotes WHERE id = 1"))
                    .isEqualTo(big);
            assertThat(tableNames(connection.getMetaData().getTables(null, null, "%", null)))
                    .contains("xenhancedxsqlitexnotes");
        }
        assertThat(CompressDb.storedType(file, "xenhancedxsqlitexnotes", "body", "id = 1")).isEqualTo("blob");
        assertThat(CompressDb.catalog(file)).containsExactly("xenhancedxsqlitexnotes.body");
    }

    /**
     * A view over a compressed column is refused, whatever it is called. CREATE TABLE was told from CREATE VIEW by
     * the first words of the SQL split at every non-word character, so a view named "table" passed for a table and
     * was created, and read the stored envelopes instead of the values.
     */
    @Test
    void aViewOverACompressedColumnReadsValuesEvenWhenItsQuotedNameIsTable() throws Exception {
        Path file = memoryDatabase(null);
        String value = CompressDb.hookRecord(1);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES (?, ?)", "k", value);
            CompressDb.execute(connection, "CREATE VIEW \"table\" AS SELECT key, value FROM memory_entries");
        }
        try (Connection plain = CompressDb.plain(file)) {
            // the view's column was returned to plain storage before the view was made, so even a reader without
            // the driver reads the value through it, never the stored envelope
            assertThat(CompressDb.queryObject(plain, "SELECT value FROM \"table\" WHERE key = 'k'")).isEqualTo(value);
        }
    }

    private static List<String> tableNames(ResultSet tables) throws SQLException {
        List<String> names = new ArrayList<>();
        try (tables) {
            while (tables.next()) {
                names.add(tables.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    // ---------------------------------------------------------------- regressions of bugs found and fixed

    /**
     * Agent-memory tools run their schema script (CREATE TABLE/INDEX IF NOT EXISTS) at every start. Once a value
     * is compressed, every CREATE statement naming the table is refused, so the second start of the application
     * fails — although none of these statements creates anything, and none would see a compressed value.
     */
    @Test
    void theApplicationsIdempotentSchemaScriptStillRunsAfterValuesAreCompressed() throws Exception {
        Path file = memoryDatabase(null);
        try (Connection connection = CompressDb.open(file)) {
            upsert(connection, "k", CompressDb.hookRecord(10), null, 1);
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = CompressDb.open(file)) { // the application starts again
            for (String statement : CompressDb.MEMORY_SCHEMA) {
                String idempotent = statement.replaceFirst("^CREATE (TABLE|INDEX) ", "CREATE $1 IF NOT EXISTS ");
                assertThatCode(() -> CompressDb.execute(connection, idempotent)).as(idempotent)
                        .doesNotThrowAnyException();
            }
            assertThatCode(() -> CompressDb.execute(connection,
                    "CREATE INDEX IF NOT EXISTS idx_memory_updated ON memory_entries(updated_at)"))
                    .as("a new index on an integer column").doesNotThrowAnyException();
        }
    }

    /**
     * A column-level REFERENCES clause mentions the child column once, so Schema takes it for compressible; its
     * value is then stored as an envelope and no longer equals the parent key it refers to.
     */
    @Test
    void aForeignKeyColumnIsNotCompressed() throws Exception {
        String settings = "compressThreshold=32&foreign_keys=true";
        Path file = dir.resolve("fk.db");
        String parent = "session-" + "a".repeat(60);
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, "CREATE TABLE sessions (name TEXT PRIMARY KEY)",
                    "CREATE TABLE events (id INTEGER PRIMARY KEY, session TEXT REFERENCES sessions(name), note TEXT)");
            CompressDb.update(connection, "INSERT INTO sessions (name) VALUES (?)", parent);
            assertThatCode(() -> CompressDb.update(connection, "INSERT INTO events (session, note) VALUES (?, ?)",
                    parent, "n")).as("a child row referring to an existing parent").doesNotThrowAnyException();
        }
        assertThat(CompressDb.storedType(file, "events", "session", "id = 1")).isEqualTo("text");
    }

    /** RETURNING makes the rewriter throw a NullPointerException (SqlRewriter.returning gets a null list). */
    @Test
    void returningClausesWork() throws Exception {
        Path file = memoryDatabase(null);
        String big = CompressDb.hookRecord(11);
        try (Connection connection = CompressDb.open(file)) {
            upsert(connection, "k", big, null, 1);
            List<String> rows;
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO memory_entries (key, value) VALUES (?, ?) RETURNING key, value, length(value)")) {
                statement.setString(1, "returned");
                statement.setString(2, big);
                try (ResultSet result = statement.executeQuery()) {
                    rows = CompressDb.rows(result);
                }
            }
            assertThat(rows).containsExactly("text:returned | text:" + big + " | integer:" + big.length());
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM memory_entries WHERE key = ? RETURNING value")) {
                statement.setString(1, "k");
                try (ResultSet result = statement.executeQuery()) {
                    rows = CompressDb.rows(result);
                }
            }
            assertThat(rows).containsExactly("text:" + big);
        }
    }

    /**
     * SQLite numbers ':name' and '?' parameters together; JSqlParser counts only the '?'. The value bound for
     * ':k' (the UNIQUE key) is then taken for the 'value' column and compressed into the key column.
     */
    @Test
    void namedAndPositionalParametersTogetherBindTheRightColumns() throws Exception {
        String settings = "compressThreshold=32";
        Path file = memoryDatabase(settings);
        String key = "key-" + "k".repeat(100);
        String value = CompressDb.hookRecord(12);
        try (Connection connection = CompressDb.open(file, settings)) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO memory_entries (key, value, namespace) VALUES (:key, ?, ?)")) {
                statement.setString(1, key);
                statement.setString(2, value);
                statement.setString(3, "default");
                statement.executeUpdate();
            }
            assertThat(CompressDb.rows(connection, "SELECT key, value FROM memory_entries"))
                    .containsExactly("text:" + key + " | text:" + value);
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "key", "id = 1")).isEqualTo("text");
    }

    /**
     * Copying a compressed column into another column keeps the stored envelope, but only columns that received
     * a bound value are recorded in _enhanced_sqlite_columns. A later compress=off pool (and export/verify, which
     * rely on the record) cannot know the copy holds envelopes.
     */
    @Test
    void aColumnThatReceivedACopiedEnvelopeIsRecorded() throws Exception {
        Path file = memoryDatabase(null);
        String big = CompressDb.hookRecord(13);
        try (Connection connection = CompressDb.open(file)) {
            upsert(connection, "k", big, null, 1);
            CompressDb.update(connection, "UPDATE memory_entries SET metadata = value");
            assertThat(CompressDb.queryString(connection, "SELECT metadata FROM memory_entries")).isEqualTo(big);
        }
        EnhancedSqlite.shutdown();
        assertThat(CompressDb.storedType(file, "memory_entries", "metadata", "key = 'k'")).isEqualTo("blob");
        try (Connection connection = CompressDb.open(file, "compress=off")) {
            assertThat(CompressDb.rows(connection, "SELECT metadata, metadata = value FROM memory_entries"))
                    .containsExactly("text:" + big + " | integer:1");
        }
        assertThat(CompressDb.catalog(file)).contains("memory_entries.metadata");
    }
}
