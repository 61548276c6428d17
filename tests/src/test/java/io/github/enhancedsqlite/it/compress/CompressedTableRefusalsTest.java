package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statements SQLite accepts that compressed tables once refused, differentially against {@code compress=off} on
 * databases filled as {@link SqliteGrammarTest}'s: TEXT that is not valid UTF-8 computed in SQL into a compressed
 * column, and, on connections that cannot write, statements run while another result set still reads the decoded
 * copies of the tables they name.
 */
class CompressedTableRefusalsTest {

    private static final String OFF = SqliteGrammarTest.OFF;
    private static final String AUTO = SqliteGrammarTest.AUTO;
    /** A temporary table of the connection's own named like the compressed table: the bare name reads it. */
    private static final String OWN_DOCS = "CREATE TEMP TABLE docs (id INTEGER PRIMARY KEY, key TEXT, body TEXT)";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Path filled(String settings) throws SQLException {
        Path file = dir.resolve((settings.isEmpty() ? "auto" : "off") + ".db");
        SqliteGrammarTest.fill(file, settings);
        EnhancedSqlite.shutdown();
        return file;
    }

    /**
     * TEXT that is not valid UTF-8, computed in SQL and stored into compressed columns by every kind of write (a
     * SELECT's values, VALUES, SET, an upsert's DO UPDATE, a sub-query), is stored as it is and reads back the same
     * bytes through SQL ({@code typeof}, {@code hex}, {@code length}, comparisons) and through every getter; a long
     * value written after it is still compressed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"auto-commit", "transaction"})
    void textThatIsNotValidUtf8ComputedInSqlIsStoredAsWithoutCompression(String transaction) throws Exception {
        String[] writes = {
            "INSERT INTO docs (key, body) SELECT 'raw1', CAST(x'ff00fe41' AS TEXT)",
            "INSERT INTO docs (key, body, meta) VALUES ('raw2', coalesce(CAST(x'c328' AS TEXT), 'x'),"
                    + " iif(1, CAST(X'80' AS TEXT) || 'tail', NULL))",
            "UPDATE docs SET body = CASE WHEN id % 2 = 0 THEN CAST(x'e2' || body AS TEXT) ELSE body END WHERE id <= 4",
            "INSERT INTO docs (key, body) VALUES ('k1', 'y') ON CONFLICT (key) DO UPDATE"
                    + " SET body = nullif(CAST(x'fffe' AS TEXT), excluded.body)",
            "UPDATE docs SET meta = (SELECT CAST(x'f0' AS TEXT) || label FROM tags WHERE tags.doc_id = docs.id)"
                    + " WHERE id IN (7, 8)",
            "INSERT INTO drafts (key, body) SELECT key, CAST(x'c0' AS TEXT) || body FROM drafts WHERE id < 3"
                    + " UNION ALL SELECT 'blob', x'00ff'"};
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                connection.setAutoCommit(transaction.equals("auto-commit"));
                for (String write : writes) {
                    results.add(SqliteGrammarTest.outcome(connection, write));
                }
                CompressDb.update(connection, "INSERT INTO docs (key, body) VALUES ('after', ?)",
                        SqliteGrammarTest.body(70));
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                for (String table : new String[] {"docs", "drafts"}) {
                    results.add(SqliteGrammarTest.outcome(connection, "SELECT id, typeof(body), hex(body),"
                            + " length(body), body = CAST(x'ff00fe41' AS TEXT), body > 'x', hex(upper(body))"
                            + (table.equals("docs") ? ", typeof(meta), hex(meta), length(meta)" : "")
                            + " FROM " + table + " ORDER BY id"));
                    results.add(getters(connection, "SELECT body FROM " + table + " ORDER BY id"));
                }
                results.add(SqliteGrammarTest.outcome(connection,
                        "SELECT count(*) FROM docs WHERE body = CAST(x'c328' AS TEXT) OR meta LIKE '%tail'"));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
            if (settings.equals(AUTO)) {
                try (Connection plain = CompressDb.plain(file)) {
                    assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM docs WHERE key = 'after'"
                            + " AND typeof(body) = 'blob'")).as("a long value is still stored compressed").isOne();
                }
            }
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * On a connection that cannot write, a statement the rewriter cannot read runs over decoded copies of its tables;
     * while its rows are still being read, other statements naming those tables — reads the rewriter reads, another
     * such statement, writes and DDL that SQLite refuses there, a TEMP table made from them — answer as without
     * compression, and so does everything after the rows were read.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "setReadOnly in a transaction", "mode=ro"})
    void statementsRunWhileAResultSetReadsTheDecodedCopiesAnswerAsWithoutCompression(String readOnly)
            throws Exception {
        String[] meanwhile = {
            "SELECT id, body, length(meta) FROM docs WHERE id = 3",
            "SELECT * FROM drafts NATURAL LEFT JOIN bodies ORDER BY 1",
            "SELECT count(*), max(length(body)), sum(length(data)) FROM main.docs",
            "SELECT r.id, upper(r.body) FROM drafts r WHERE r.body GLOB '*t1*' ORDER BY 1",
            "UPDATE docs SET n = 1 WHERE id = 2",
            "DELETE FROM drafts",
            "INSERT INTO docs (key, body) VALUES ('new', 'x')",
            "DROP INDEX docs_n",
            "CREATE INDEX docs_key2 ON docs(key)",
            "ALTER TABLE drafts ADD COLUMN extra TEXT",
            "CREATE TEMP TABLE scratch AS SELECT id, body FROM docs WHERE id < 4",
            "SELECT * FROM scratch ORDER BY id"};
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = readOnly(file, settings, readOnly)) {
                try (PreparedStatement first = connection.prepareStatement(
                        "SELECT d.id, d.body, r.key FROM docs d JOIN drafts r USING (body) ORDER BY 1, 3")) {
                    ResultSet rows = first.executeQuery();
                    assertThat(rows.next()).isTrue();
                    results.add(CompressDb.describe(rows.getObject(2)));
                    for (String sql : meanwhile) {
                        results.add(SqliteGrammarTest.outcome(connection, sql));
                    }
                    results.add(CompressDb.rows(rows));
                    rows.close();
                }
                results.add(SqliteGrammarTest.outcome(connection, "SELECT id, body FROM docs WHERE id = 3"));
                results.add(SqliteGrammarTest.outcome(connection,
                        "SELECT type, name FROM sqlite_temp_schema ORDER BY name"));
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * In auto-commit mode on a connection that cannot write, the decoded copies and the statement that reads them
     * see one snapshot: a transaction another connection commits while the copies are being made (here from a
     * function of the table's CHECK constraint, which the copy evaluates as it fills) shows neither in the copy nor in
     * the tables the statement reads as they are, as without compression, where no copy is made and the function does
     * not run.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "mode=ro"})
    void theCopiesAndTheStatementReadOneSnapshotInAutoCommitMode(String readOnly) throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            try (Connection connection = CompressDb.open(file, settings)) {
                registerCommitOnce(connection, file, new AtomicBoolean(false));
                CompressDb.execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT,"
                        + " n INTEGER CHECK (n IS NULL OR commit_once(n) IS NOT NULL))");
                for (int i = 1; i <= 4; i++) {
                    CompressDb.update(connection, "INSERT INTO notes (body, n) VALUES (?, NULL)",
                            SqliteGrammarTest.body(i));
                }
                CompressDb.execute(connection, "UPDATE notes SET n = id");
            }
            EnhancedSqlite.shutdown();
            if (settings.equals(AUTO)) {
                assertThat(CompressDb.catalog(file)).contains("notes.body");
            }
            AtomicBoolean armed = new AtomicBoolean();
            try (Connection connection = readOnly.equals("mode=ro")
                    ? java.sql.DriverManager.getConnection(CompressDb.PREFIX + "file:" + file.toAbsolutePath()
                            + "?mode=ro" + (settings.isEmpty() ? "" : "&" + settings))
                    : CompressDb.open(file, settings)) {
                if (readOnly.equals("setReadOnly")) {
                    connection.setReadOnly(true);
                }
                registerCommitOnce(connection, file, armed);
                armed.set(true);
                outcomes.add(SqliteGrammarTest.outcome(connection, "SELECT (SELECT count(*) FROM notes a JOIN notes b"
                        + " USING (body)), (SELECT count(*) FROM tags WHERE label = 'late')"));
                outcomes.add(SqliteGrammarTest.outcome(connection,
                        "SELECT count(*) FROM tags WHERE label = 'late'")); // the other commit, seen afterwards
            }
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(3)).as("the other connection committed while the copies were made")
                .isNotEqualTo(outcomes.get(1));
        assertThat(outcomes.get(2)).isEqualTo(outcomes.get(0));
    }

    /**
     * {@code commit_once(n)}: returns n; the first call after {@code armed} was set commits a row into {@code tags}
     * through a connection of its own (plain sqlite-jdbc, outside this driver's pool).
     */
    private static void registerCommitOnce(Connection connection, Path file,
                                           AtomicBoolean armed) throws SQLException {
        org.sqlite.Function.create(connection.unwrap(org.sqlite.SQLiteConnection.class), "commit_once",
                new org.sqlite.Function() {
                    @Override
                    protected void xFunc() throws SQLException {
                        if (armed.compareAndSet(true, false)) {
                            try (Connection other = CompressDb.plain(file)) {
                                CompressDb.update(other, "INSERT INTO tags (doc_id, label) VALUES (99, 'late')");
                            }
                        }
                        result(value_long(0));
                    }
                }, 1, org.sqlite.Function.FLAG_DETERMINISTIC);
    }

    /**
     * A STRICT table's TEXT column refuses a BLOB, so an envelope cannot be stored there: long TEXT written into it
     * stays plain and is written as without compression, while its BLOB column is compressed as any other.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"STRICT", "WITHOUT ROWID, STRICT", "STRICT, WITHOUT ROWID"})
    void longTextIntoAStrictTableIsWrittenAsWithoutCompression(String options) throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                results.add(SqliteGrammarTest.outcome(connection, "CREATE TABLE st (id INTEGER PRIMARY KEY, a TEXT,"
                        + " b BLOB, c ANY) " + options));
                for (int i = 1; i <= 3; i++) {
                    results.add(SqliteGrammarTest.outcome(connection, "INSERT INTO st (id, a, b, c) VALUES (?, ?, ?, ?)",
                            i, SqliteGrammarTest.body(i), SqliteGrammarTest.body(i + 3).getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8), SqliteGrammarTest.body(i + 6)));
                }
                results.add(SqliteGrammarTest.outcome(connection, "UPDATE st SET a = ? WHERE id = 2",
                        SqliteGrammarTest.body(9)));
                results.add(SqliteGrammarTest.outcome(connection, "SELECT id, a, b, c, typeof(a), typeof(b),"
                        + " typeof(c), a LIKE '%t1%' FROM st ORDER BY id"));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
            if (settings.equals(AUTO)) {
                assertThat(CompressDb.catalog(file)).as("TEXT of a STRICT table stays plain").doesNotContain("st.a")
                        .contains("st.b");
            }
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A BLOB that begins like an envelope, read while a result set still reads the decoded copies (which hold it
     * decoded, as it was written): reads of the copy the rewriter decodes (a getter, SQL functions, a comparison with
     * a parameter), a read of the table itself through {@code main.}, and another statement that runs over the copies
     * answer as without compression.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "setReadOnly in a transaction", "mode=ro"})
    void aCopyHoldingABlobThatBeginsLikeAnEnvelopeIsReadAsWithoutCompression(String readOnly) throws Exception {
        byte[] lookalike = ("....lookalike ").repeat(30).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        lookalike[0] = (byte) 0xEC;
        lookalike[1] = 'E';
        lookalike[2] = 'S';
        lookalike[3] = 'Z';
        lookalike[4] = 2;
        byte[] damaged = lookalike.clone();
        damaged[4] = 9;
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.update(connection, "INSERT INTO docs (key, data) VALUES ('look', ?), ('look2', ?)",
                        lookalike, damaged);
            }
            EnhancedSqlite.shutdown();
            List<Object> results = new ArrayList<>();
            try (Connection connection = readOnly(file, settings, readOnly)) {
                try (PreparedStatement first = connection.prepareStatement(
                        "SELECT d.id, d.key, r.key FROM docs d JOIN drafts r USING (body) ORDER BY 1, 3")) {
                    ResultSet rows = first.executeQuery();
                    assertThat(rows.next()).isTrue();
                    results.add(SqliteGrammarTest.outcome(connection,
                            "SELECT key, data FROM docs WHERE key LIKE 'look%' ORDER BY key"));
                    results.add(getters(connection, "SELECT data FROM docs WHERE data IS NOT NULL ORDER BY id"));
                    results.add(SqliteGrammarTest.outcome(connection, "SELECT key, hex(data), length(data),"
                            + " typeof(data), data = ?, substr(data, 1, 4) FROM docs WHERE data IS NOT NULL"
                            + " ORDER BY id", lookalike));
                    results.add(SqliteGrammarTest.outcome(connection,
                            "SELECT count(*) FROM docs WHERE data IN (?, ?)", lookalike, damaged));
                    results.add(SqliteGrammarTest.outcome(connection,
                            "SELECT key, hex(main.docs.data) FROM main.docs WHERE key LIKE 'look%' ORDER BY key"));
                    results.add(SqliteGrammarTest.outcome(connection, "SELECT d.key, hex(d.data) FROM docs d"
                            + " JOIN docs e USING (data) WHERE d.key LIKE 'look%' ORDER BY 1"));
                    results.add(CompressDb.rows(rows));
                    rows.close();
                }
                results.add(SqliteGrammarTest.outcome(connection,
                        "SELECT key, hex(data) FROM docs WHERE key LIKE 'look%' ORDER BY key"));
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A TEMP trigger created on a table while a result set still reads its decoded copy (SQLite attaches it to the
     * copy, which its name finds first) is on the table once the copy is gone, with the text SQLite keeps for it; one
     * dropped meanwhile stays dropped. Where the connection refuses every write ({@code setReadOnly}) it fails with
     * SQLite's read-only error, as without compression.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "mode=ro"})
    void aTemporaryTriggerCreatedWhileTheCopiesAreReadIsOnTheTable(String readOnly) throws Exception {
        String triggers = "SELECT type, name, tbl_name, sql FROM sqlite_temp_schema WHERE type = 'trigger'"
                + " ORDER BY name";
        String[] meanwhile = {
            "CREATE TEMP TRIGGER docs_touched AFTER UPDATE OF n ON docs BEGIN SELECT 1; END",
            "create temporary trigger if not exists drafts_gone before delete on \"drafts\" begin select 2; end",
            "CREATE TEMP TRIGGER tags_added AFTER INSERT ON main.tags BEGIN SELECT 3; END",
            triggers,
            "DROP TRIGGER drafts_gone",
            "UPDATE docs SET n = 1 WHERE id = 2",
            triggers};
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = readOnly(file, settings, readOnly)) {
                try (PreparedStatement first = connection.prepareStatement(
                        "SELECT d.id, d.body, r.key FROM docs d JOIN drafts r USING (body) ORDER BY 1, 3")) {
                    ResultSet rows = first.executeQuery();
                    assertThat(rows.next()).isTrue();
                    for (String sql : meanwhile) {
                        results.add(SqliteGrammarTest.outcome(connection, sql));
                    }
                    results.add(CompressDb.rows(rows));
                    rows.close();
                }
                results.add(SqliteGrammarTest.outcome(connection, "SELECT count(*) FROM docs"));
                results.add(SqliteGrammarTest.outcome(connection, triggers));
                results.add(SqliteGrammarTest.outcome(connection,
                        "SELECT type, name FROM sqlite_temp_schema ORDER BY name"));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * Statements the rewriter cannot read that name {@code main.docs} while the connection has a temporary table
     * named {@code docs} of its own (which the bare name reads), and one that uses {@code main} as an alias, answer
     * as without compression: on connections that cannot write (through decoded copies under private names) and on
     * one that can (as written, its columns made plain in place).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "setReadOnly in a transaction", "mode=ro", "writable"})
    void mainQualifiedTablesAnswerAsWithoutCompressionBesideATemporaryTableOfTheSameName(String readOnly)
            throws Exception {
        String[] statements = {
            "SELECT main.docs.id, main.docs.key, r.key FROM main.docs JOIN drafts r USING (body) ORDER BY 1, 3",
            "SELECT d.id, d.body FROM main.docs AS d JOIN drafts USING (body) ORDER BY 1, 2",
            "SELECT main.docs.id, temp.docs.key FROM main.docs JOIN temp.docs USING (body) ORDER BY 1",
            "SELECT docs.id, length(docs.body) FROM docs JOIN main.docs m USING (body) ORDER BY 1",
            "SELECT main.key FROM main.docs AS main JOIN drafts USING (body) ORDER BY 1",
            "SELECT count(*) FROM docs WHERE body IN (SELECT body FROM main.docs NATURAL JOIN bodies)",
            "SELECT main.docs.id FROM main.docs JOIN drafts r USING (body)"
                    + " WHERE main.docs.id NOT IN (SELECT docs.id FROM docs) ORDER BY 1",
            "SELECT docs.id, docs.n FROM main.docs INDEXED BY docs_n JOIN drafts USING (body) WHERE n > 0 ORDER BY 1",
            "SELECT \"main\".\"docs\".key FROM \"main\".\"docs\" JOIN drafts USING (body) ORDER BY 1",
            "SELECT t.key FROM main.docs t, main.docs u USING (body) WHERE t.id < u.id ORDER BY 1",
            "SELECT d.id FROM main.docs d JOIN drafts USING (body) WHERE d.key IN docs_keys ORDER BY 1",
            "UPDATE main.docs SET n = n + 1 WHERE id IN (SELECT d.id FROM main.docs d JOIN drafts USING (body))",
            "SELECT id, n FROM main.docs JOIN drafts USING (body) ORDER BY 1",
            "SELECT docs.x FROM main.docs JOIN docs USING (body)",
            "SELECT length(main.docs.body), main.docs.id, upper(main.docs.key) k FROM main.docs JOIN drafts"
                    + " USING (body) ORDER BY 2",
            "SELECT docs.key FROM main.docs JOIN drafts USING (body) WHERE docs.id NOT IN (SELECT id FROM docs)"
                    + " ORDER BY 1",
            "SELECT (SELECT count(*) FROM docs WHERE docs.id < main.docs.id), main.docs.id FROM main.docs"
                    + " JOIN drafts USING (body) ORDER BY 2",
            "SELECT type, name FROM sqlite_temp_schema ORDER BY name"};
        String[] alongside = { // while a result set reads main.docs through its copy
            "SELECT id, key FROM docs ORDER BY id",
            "SELECT count(*) FROM main.docs WHERE body LIKE '%t1%'",
            "SELECT d.id FROM main.docs d JOIN drafts USING (body) ORDER BY 1",
            "UPDATE docs SET key = 'mine' WHERE id = 2",
            "DELETE FROM drafts WHERE id = 1",
            "UPDATE main.docs SET n = 5 WHERE id = 1"};
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = readOnly.equals("mode=ro")
                    ? java.sql.DriverManager.getConnection(CompressDb.PREFIX + "file:" + file.toAbsolutePath()
                            + "?mode=ro" + (settings.isEmpty() ? "" : "&" + settings))
                    : CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TEMP TABLE docs (id INTEGER PRIMARY KEY, key TEXT, body TEXT)",
                        "CREATE TEMP TABLE docs_keys (key TEXT)", "INSERT INTO docs_keys VALUES ('k1'), ('k3')");
                CompressDb.update(connection, "INSERT INTO temp.docs (id, key, body) VALUES (1, 'own1', 'short 6'),"
                        + " (2, 'own2', 'x'), (3, 'own3', '10')");
                if (readOnly.startsWith("setReadOnly")) {
                    connection.setReadOnly(true);
                    connection.setAutoCommit(!readOnly.endsWith("transaction"));
                }
                for (String sql : statements) {
                    results.add(SqliteGrammarTest.outcome(connection, sql));
                }
                try (PreparedStatement first = connection.prepareStatement(
                        "SELECT main.docs.id, r.key FROM main.docs JOIN drafts r USING (body) ORDER BY 1, 2")) {
                    ResultSet rows = first.executeQuery();
                    assertThat(rows.next()).isTrue();
                    for (String sql : alongside) {
                        results.add(SqliteGrammarTest.outcome(connection, sql));
                    }
                    results.add(CompressDb.rows(rows));
                    rows.close();
                }
                results.add(SqliteGrammarTest.outcome(connection, statements[statements.length - 1]));
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A prepared statement the rewriter cannot read that names {@code main.docs} runs as the connection is when it
     * runs, not as it was when it was prepared: set read-only or back in between, or given a temporary table named
     * {@code docs} of its own, it is prepared again with the values bound so far (once refused, 0A000, "prepare the
     * statement again"). Run twice, and once more after the change is undone.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"set read-only", "set writable", "temporary table made", "set read-only in a transaction"})
    void aStatementPreparedBeforeTheConnectionChangedRunsAsTheConnectionIsNow(String change) throws Exception {
        String sql = "SELECT main.docs.id, r.key, main.docs.body FROM main.docs JOIN drafts r USING (body)"
                + " WHERE main.docs.id > ? ORDER BY 1, 2";
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                if (!change.equals("temporary table made")) { // the text chosen for main.docs depends on both
                    CompressDb.execute(connection, OWN_DOCS);
                }
                connection.setReadOnly(change.equals("set writable"));
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setInt(1, 1);
                    switch (change) {
                        case "set writable" -> connection.setReadOnly(false);
                        case "temporary table made" -> CompressDb.execute(connection, OWN_DOCS);
                        default -> {
                            connection.setReadOnly(true);
                            connection.setAutoCommit(!change.endsWith("transaction"));
                        }
                    }
                    for (int run = 0; run < 2; run++) {
                        try (ResultSet rows = statement.executeQuery()) {
                            results.add(CompressDb.rows(rows));
                        }
                        statement.setInt(1, 2);
                    }
                    if (!connection.getAutoCommit()) {
                        connection.commit();
                        connection.setAutoCommit(true);
                    }
                    connection.setReadOnly(!connection.isReadOnly());
                    try (ResultSet rows = statement.executeQuery()) {
                        results.add(CompressDb.rows(rows));
                    }
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(((List<?>) outcomes.get(0)).get(0)).asList().isNotEmpty();
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A batch added to such a statement before the connection changed runs whole after it is prepared again: every
     * set of values added, in order.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PreparedStatement", "Statement"})
    void aBatchAddedBeforeTheConnectionChangedRunsWhole(String kind) throws Exception {
        String sql = "UPDATE main.docs SET n = n + ? WHERE id IN (SELECT d.id FROM main.docs d JOIN drafts USING (body))"
                + " AND id > ?";
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, OWN_DOCS);
                connection.setReadOnly(true);
                if (kind.equals("Statement")) {
                    try (java.sql.Statement statement = connection.createStatement()) {
                        for (int i = 1; i <= 3; i++) {
                            statement.addBatch(sql.replaceFirst("\\?", Integer.toString(10 * i))
                                    .replaceFirst("\\?", Integer.toString(i)));
                        }
                        connection.setReadOnly(false);
                        results.add(java.util.Arrays.toString(statement.executeBatch()));
                    }
                } else {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        for (int i = 1; i <= 3; i++) {
                            statement.setInt(1, 10 * i);
                            statement.setInt(2, i);
                            statement.addBatch();
                        }
                        connection.setReadOnly(false);
                        results.add(java.util.Arrays.toString(statement.executeBatch()));
                    }
                }
                results.add(CompressDb.rows(connection, "SELECT id, n, body FROM main.docs ORDER BY id"));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(0).toString()).contains("[").doesNotContain("[0, 0, 0]");
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * Beside a temporary table named like the table, statements that also write {@code temp.docs.column} (or
     * {@code main.docs.column}) and name the unaliased {@code main.docs} by the bare qualifier {@code docs.} — also
     * {@code docs.*}, and {@code docs.} in sub-queries where it names the temporary table — answer as without
     * compression on connections that cannot write (once refused, 0A000, "give main.docs an alias").
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "setReadOnly in a transaction", "mode=ro"})
    void aBareQualifierOfAnUnaliasedMainTableBesideAQualifiedOneAnswersAsWithoutCompression(String readOnly)
            throws Exception {
        String[] statements = {
            "SELECT docs.key FROM main.docs JOIN drafts USING (body) WHERE docs.id IN (SELECT temp.docs.id FROM temp.docs)",

            "SELECT upper(docs.key), length(main.docs.body) FROM main.docs JOIN drafts USING (body)"
                    + " WHERE EXISTS (SELECT 1 FROM temp.docs WHERE temp.docs.id = main.docs.id) ORDER BY 1",
            "SELECT docs.id, (SELECT count(*) FROM temp.docs WHERE temp.docs.key <> docs.key) FROM main.docs"
                    + " JOIN drafts USING (body) ORDER BY 1",
            "SELECT docs.id FROM main.docs JOIN drafts USING (body) WHERE docs.id NOT IN (SELECT docs.id FROM temp.docs)"
                    + " ORDER BY 1",
            "SELECT d.key FROM main.docs d JOIN drafts USING (body) WHERE d.id IN (SELECT temp.docs.id FROM temp.docs)",
            "SELECT d.* FROM main.docs d JOIN drafts USING (body) WHERE d.id IN (SELECT temp.docs.id FROM temp.docs)"};
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = readOnly.equals("mode=ro") ? readOnly(file, settings, readOnly)
                    : CompressDb.open(file, settings)) {
                CompressDb.execute(connection, OWN_DOCS, "INSERT INTO temp.docs (id, key) VALUES (1, 'own1')");
                if (!readOnly.equals("mode=ro")) {
                    connection.setReadOnly(true);
                    connection.setAutoCommit(!readOnly.endsWith("transaction"));
                }
                for (String sql : statements) {
                    results.add(SqliteGrammarTest.outcome(connection, sql));
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(0).toString()).doesNotContain("error");
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A temporary table of one connection named like a compressed table is not that table: what the pool learns of
     * {@code docs} (its columns, shared by every connection) is main's, so another connection's write still stores
     * {@code meta} compressed (a temporary {@code docs} without that column once hid it from the whole pool).
     */
    @org.junit.jupiter.api.Test
    void aTemporaryTableOfOneConnectionDoesNotChangeWhatThePoolKnowsOfTheTable() throws Exception {
        Path file = filled(AUTO);
        String meta = "{\"owner\":\"agent-9\",\"path\":\"" + "/segment".repeat(60) + "\"}";
        try (Connection own = CompressDb.open(file, AUTO); Connection other = CompressDb.open(file, AUTO)) {
            CompressDb.execute(own, OWN_DOCS);
            assertThat(CompressDb.rows(own, "SELECT count(*) FROM docs")).containsExactly("integer:0");
            CompressDb.update(other, "INSERT INTO docs (key, body, meta) VALUES ('after', 'b', ?)", meta);
            assertThat(CompressDb.rows(other, "SELECT meta FROM docs WHERE key = 'after'"))
                    .containsExactly("text:" + meta);
        }
        assertThat(CompressDb.storedType(file, "docs", "meta", "key = 'after'")).isEqualTo("blob");
    }

    /**
     * On a connection that cannot write, a TEMP view whose text names {@code main.docs} (once refused as it was
     * created, 0A000) answers as without compression: read alone, joined, beside a temporary table {@code docs} of
     * the connection's own, from another view, and while another result set reads the copies; afterwards the temp
     * schema holds its text as written. ({@code setReadOnly} forbids creating TEMP views, as SQLite's
     * {@code query_only} does; views created before it are read through it.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mode=ro", "mode=ro beside own docs", "setReadOnly after the views"})
    void aTemporaryViewNamingMainAnswersAsWithoutCompressionOnAConnectionThatCannotWrite(String readOnly)
            throws Exception {
        String[] views = {
            "CREATE TEMP VIEW v AS SELECT id, body, length(main.docs.body) AS n FROM main.docs",
            "CREATE TEMP VIEW w AS SELECT v.id, upper(v.body) FROM v JOIN main.docs d ON d.id = v.id WHERE d.id < 5"};
        String[] reads = {
            "SELECT id, typeof(body), length(body), body, n FROM v ORDER BY id",
            "SELECT count(*) FROM v WHERE body LIKE '%1%'",
            "SELECT * FROM w ORDER BY 1",
            "SELECT v.id, r.key FROM v JOIN drafts r USING (body) ORDER BY 1, 2",
            "SELECT count(*) FROM docs",
            "SELECT type, name, sql FROM sqlite_temp_schema WHERE type = 'view' ORDER BY name"};
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            boolean setReadOnly = readOnly.startsWith("setReadOnly");
            try (Connection connection = setReadOnly ? CompressDb.open(file, settings)
                    : readOnly(file, settings, "mode=ro")) {
                if (readOnly.endsWith("own docs")) {
                    CompressDb.execute(connection, OWN_DOCS, "INSERT INTO temp.docs VALUES (1, 'own1', 'x')");
                }
                for (String sql : views) {
                    results.add(SqliteGrammarTest.outcome(connection, sql));
                }
                connection.setReadOnly(setReadOnly);
                for (String sql : reads) {
                    results.add(SqliteGrammarTest.outcome(connection, sql));
                }
                try (PreparedStatement reading = connection.prepareStatement("SELECT id, body FROM v ORDER BY id")) {
                    ResultSet rows = reading.executeQuery();
                    assertThat(rows.next()).isTrue();
                    results.add(SqliteGrammarTest.outcome(connection, "SELECT max(n) FROM v"));
                    results.add(CompressDb.rows(rows));
                    rows.close();
                }
                for (String sql : reads) {
                    results.add(SqliteGrammarTest.outcome(connection, sql));
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(0).toString()).contains("CREATE VIEW v AS SELECT id, body, length(main.docs.body)")
                .doesNotContain("error");
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /** A connection that cannot write, as the parameter names it. */
    private static Connection readOnly(Path file, String settings, String readOnly) throws SQLException {
        if (readOnly.equals("mode=ro")) {
            return java.sql.DriverManager.getConnection(CompressDb.PREFIX + "file:" + file.toAbsolutePath()
                    + "?mode=ro" + (settings.isEmpty() ? "" : "&" + settings));
        }
        Connection connection = CompressDb.open(file, settings);
        connection.setReadOnly(true);
        connection.setAutoCommit(!readOnly.endsWith("transaction"));
        return connection;
    }

    /** Each row's first column through getString, getBytes and getObject. */
    private static List<String> getters(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                byte[] bytes = result.getBytes(1);
                rows.add(result.getString(1) + " | " + (bytes == null ? "NULL" : HexFormat.of().formatHex(bytes))
                        + " | " + CompressDb.describe(result.getObject(1)));
            }
        }
        return rows;
    }
}
