package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The escape hatch for what the compression rewriter cannot account for (columns returned to plain storage, or read
 * through decoded copies where the connection cannot write), differentially against {@code compress=off} on
 * databases filled as {@link SqliteGrammarTest}'s: a BLOB such a statement stores that begins like an envelope,
 * SQL's {@code changes()} and {@code total_changes()} beside it, and a TEMP view read after another process
 * compressed into the columns it reads.
 */
class PlainColumnsResidualsTest {

    private static final String OFF = SqliteGrammarTest.OFF;
    private static final String AUTO = SqliteGrammarTest.AUTO;
    private static final long CHILD_MINUTES = 2;

    /** Several ON CONFLICT … DO UPDATE clauses with a positional parameter after an earlier one's WHERE. */
    private static final String UPSERT_ON_PLAIN_COLUMNS = "INSERT INTO docs (key, data) VALUES (?, ?) ON CONFLICT (key)"
            + " DO UPDATE SET data = ? WHERE docs.body IS NOT ? ON CONFLICT DO UPDATE SET meta = ?";
    /** A USING join over compressed columns in a sub-query. */
    private static final String UPDATE_ON_PLAIN_COLUMNS = "UPDATE docs SET data = ? WHERE id IN (SELECT d.id FROM docs d"
            + " JOIN drafts r USING (body))";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /** Bytes that begin with the envelope's magic and version, and are no envelope. */
    private static byte[] lookalike(int variant) {
        byte[] bytes = ("....lookalike " + variant + " ").repeat(20).getBytes(StandardCharsets.US_ASCII);
        bytes[0] = (byte) 0xEC;
        bytes[1] = 'E';
        bytes[2] = 'S';
        bytes[3] = 'Z';
        bytes[4] = 2;
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"auto-commit", "commit"})
    void aBlobThatBeginsLikeAnEnvelopeStoredByAStatementOnPlainColumnsReadsBackAsBound(String transaction)
            throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                connection.setAutoCommit(transaction.equals("auto-commit"));
                results.add(CompressDb.update(connection, UPSERT_ON_PLAIN_COLUMNS, "lookalike", lookalike(1),
                        lookalike(2), "x", "m"));
                results.add(CompressDb.update(connection, UPDATE_ON_PLAIN_COLUMNS, lookalike(3)));
                results.add(CompressDb.rows(connection, UPSERT_ON_PLAIN_COLUMNS + " RETURNING id, key, data",
                        "returned", lookalike(4), lookalike(5), "x", "m"));
                if (!connection.getAutoCommit()) {
                    connection.commit();
                    connection.setAutoCommit(true);
                }
                if (settings.equals(AUTO)) {
                    try (Connection plain = CompressDb.plain(file)) {
                        assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM docs WHERE typeof(body) = 'blob'"))
                                .as("the statements ran on plain columns").isZero();
                    }
                }
                results.add(blobs(connection));
                // a long value compressed into the columns again, from a new pool
                EnhancedSqlite.shutdown();
            }
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.update(connection, "INSERT INTO docs (key, body, data) VALUES ('later', ?, ?)",
                        SqliteGrammarTest.body(70), ("binary " + 70).repeat(60).getBytes(StandardCharsets.US_ASCII));
                results.add(blobs(connection));
            }
            EnhancedSqlite.shutdown();
            try (Connection off = CompressDb.open(file, OFF)) { // what a compress=off process reads from the file
                results.add(blobs(off));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
        assertThat(outcomes.get(1).toString()).contains(hex(lookalike(1)), hex(lookalike(3)), hex(lookalike(4)));
    }

    /** Every docs.data as getBytes gives it, and as SQL sees it. */
    private static List<Object> blobs(Connection connection) throws SQLException {
        List<Object> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, key, data, hex(data), length(data) FROM docs ORDER BY id");
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                byte[] data = result.getBytes(3);
                rows.add(result.getLong(1) + " " + result.getString(2) + " " + (data == null ? "NULL" : hex(data))
                        + " " + result.getString(4) + " " + result.getLong(5));
            }
        }
        return rows;
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"auto-commit", "commit", "read-only"})
    void changesAndTotalChangesCountOnlyTheApplicationsRows(String mode) throws Exception {
        List<List<Object>> outcomes = onBothSides((connection, results) -> {
            results.add(outcome(connection, "UPDATE docs SET n = n WHERE id <= 3"));
            if (mode.equals("read-only")) {
                connection.setReadOnly(true);
            } else {
                connection.setAutoCommit(mode.equals("auto-commit"));
            }
            addOutcomes(connection, results,
                    "SELECT d.id FROM docs d JOIN drafts r USING (body) ORDER BY 1",
                    "SELECT changes(), total_changes()",
                    "UPDATE docs SET (body, meta) = (SELECT body, key FROM drafts WHERE drafts.id = docs.id)",
                    "SELECT changes(), total_changes()",
                    "CREATE TEMP TABLE copied AS SELECT * FROM drafts NATURAL JOIN bodies",
                    "SELECT changes(), total_changes()",
                    "DELETE FROM docs WHERE (body, meta) IN (SELECT body, meta FROM docs WHERE n > 4000)",
                    "SELECT changes(), total_changes()");
            if (!mode.equals("read-only")) {
                results.add(outcome(connection, "INSERT INTO drafts (key, body) VALUES ('long', '"
                        + SqliteGrammarTest.body(80) + "')"));
                results.add(CompressDb.update(connection, "INSERT INTO docs (key, body) VALUES ('long', ?)",
                        SqliteGrammarTest.body(81)));
                results.add(outcome(connection, "SELECT changes(), total_changes()"));
            }
        });
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * sqlite-jdbc reports SQLite's {@code changes()} as the update count of DDL: what the application's last INSERT,
     * UPDATE or DELETE changed. A CREATE INDEX, VIEW or TRIGGER that returns columns to plain storage — columns that
     * hold compressed values, and columns that hold none yet (the driver's write then changes no row) — and the DDL
     * after it leave that count as it was, in auto-commit mode and in a transaction.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"auto-commit", "commit"})
    void theUpdateCountOfDdlStaysTheLastWritesAsWithoutCompression(String transaction) throws Exception {
        List<List<Object>> outcomes = onBothSides((connection, results) -> {
            connection.setAutoCommit(transaction.equals("auto-commit"));
            addOutcomes(connection, results,
                    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
                    "INSERT INTO notes (body) VALUES ('short'), ('also short')",
                    "CREATE INDEX notes_body ON notes (body)",
                    "CREATE VIEW notes_view AS SELECT upper(body) FROM notes",
                    "DROP VIEW notes_view",
                    "DROP INDEX notes_body",
                    "UPDATE docs SET n = n WHERE id <= 3",
                    "CREATE INDEX docs_body ON docs (body)",
                    "REINDEX docs_body",
                    "CREATE TRIGGER docs_seen AFTER UPDATE ON docs BEGIN SELECT new.meta; END",
                    "DROP TRIGGER docs_seen",
                    "SELECT changes(), total_changes()");
        });
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
        assertThat(outcomes.get(0).toString()).as("the counts compared are the last writes'")
                .contains("updated 2, updated 2, updated 2", "updated 3, updated 3, updated 3");
    }

    /** What a connection does on a database filled as {@link SqliteGrammarTest}'s, the outcomes it adds. */
    @FunctionalInterface
    private interface Session {
        void run(Connection connection, List<Object> results) throws Exception;
    }

    /**
     * The session's outcomes under {@code compress=off}, then the default, each on its own filled database; an open
     * transaction commits at the end, and the change counts after it close the list.
     */
    private List<List<Object>> onBothSides(Session session) throws Exception {
        List<List<Object>> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                session.run(connection, results);
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                results.add(outcome(connection, "SELECT changes(), total_changes()"));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        return outcomes;
    }

    /**
     * A TEMP view lives on one connection of this process: the columns it reads are kept plain here, but another
     * process (a child JVM) compresses into them. Read through the view afterwards — on a connection that may write,
     * and on one made read-only — and directly, the value reads back decoded, as without compression.
     */
    @Test
    void aValueAnotherProcessCompressedReadsBackDecodedThroughATemporaryView() throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TEMP VIEW recent AS SELECT id, key, body FROM docs");
                results.add(outcome(connection, "SELECT id, body FROM recent ORDER BY id"));

                writeInAnotherProcess(file, settings, "child", SqliteGrammarTest.body(90));
                if (settings.equals(AUTO)) {
                    assertThat(storedAsEnvelope(file, "child")).as("the other process stored it compressed").isTrue();
                }
                connection.setReadOnly(true);
                results.add(outcome(connection, "SELECT id, key, body, length(body) FROM recent ORDER BY id"));
                results.add(outcome(connection, "SELECT key, body FROM docs WHERE key = 'child'"));
                if (settings.equals(AUTO)) {
                    assertThat(storedAsEnvelope(file, "child")).as("a read-only connection writes nothing").isTrue();
                }
                connection.setReadOnly(false);

                writeInAnotherProcess(file, settings, "child 2", SqliteGrammarTest.body(91));
                results.add(outcome(connection, "SELECT id, key, body, body LIKE '%ipsum%' FROM recent ORDER BY id"));
                results.add(outcome(connection, "SELECT key, body FROM docs WHERE key LIKE 'child%' ORDER BY key"));
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
        assertThat(outcomes.get(1).toString()).contains("\"n\":90", "\"n\":91");
    }

    /**
     * A database file this process may not write (the immutable attribute; permission bits stop no root process):
     * every statement of {@link SqliteGrammarTest#notRewritable()} answers as without compression, through decoded
     * copies, and the file is left as it was.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("io.github.enhancedsqlite.it.compress.SqliteGrammarTest#notRewritable")
    void onAFileThisProcessMayNotWriteWhatTheRewriterCannotAccountForAnswersAsWithoutCompression(String sql,
            Object[] parameters) throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = filled(settings);
            byte[] before = Files.readAllBytes(file);
            chattr("+i", file);
            List<Object> results = new ArrayList<>();
            try {
                try (Connection connection = CompressDb.open(file, settings)) {
                    results.add(outcome(connection, sql, parameters));
                    results.add(outcome(connection, "SELECT changes(), total_changes()"));
                    results.add(outcome(connection, "SELECT id, key, body, meta, data FROM docs ORDER BY id"));
                    results.add(outcome(connection, "SELECT type, name FROM sqlite_temp_schema ORDER BY name"));
                }
                EnhancedSqlite.shutdown();
            } finally {
                chattr("-i", file);
            }
            assertThat(Arrays.equals(Files.readAllBytes(file), before)).as("the file is as it was").isTrue();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    private static void chattr(String flag, Path path) throws Exception {
        Process process = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("chattr " + flag + " " + path + " (needs chattr, root and a file system"
                + " with the immutable attribute, such as ext4): " + output).isZero();
    }

    private void writeInAnotherProcess(Path file, String settings, String key, String body) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, WriteBodyMain.class.getName(), file.toString(), settings, key, body)
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(CHILD_MINUTES, TimeUnit.MINUTES)) {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("written");
    }

    private static boolean storedAsEnvelope(Path file, String key) throws SQLException {
        try (Connection plain = CompressDb.plain(file)) {
            return CompressDb.queryLong(plain, "SELECT count(*) FROM docs WHERE key = '" + key
                    + "' AND typeof(body) = 'blob' AND substr(body, 1, 4) = X'EC45535A'") == 1;
        }
    }

    /** A database filled as SqliteGrammarTest's, through a pool with these settings, then closed. */
    /**
     * The rewriter reads {@code temp.docs} and {@code aux.docs} as {@code docs}, so values written into them are
     * stored compressed too; a USING or NATURAL join of {@code docs} with them goes through the escape hatch, which
     * must then find both sides plain, not only {@code main.docs} (it found no rows where compress=off finds five).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"temp", "aux"})
    void aUsingJoinWithATableOfTheSameNameInAnotherSchemaFindsTheRowsCompressOffFinds(String schema)
            throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            Path file = dir.resolve(schema + (settings.isEmpty() ? "-auto" : "-off") + ".db");
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                writeDocsBesideSameNamedTable(connection, file, schema);
                results.add(outcome(connection, "SELECT count(*) FROM main.docs JOIN " + schema + ".docs USING (body)"));
                results.add(outcome(connection, "SELECT count(*) FROM main.docs NATURAL JOIN " + schema + ".docs"));
                results.add(outcome(connection, "SELECT count(*) FROM main.docs m JOIN " + schema
                        + ".docs t ON m.body = t.body"));
                results.add(outcome(connection, "SELECT id, length(body) FROM " + schema + ".docs ORDER BY id"));
            }
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
        assertThat(outcomes.get(0).toString()).contains("5");
    }

    /**
     * Where the connection cannot write, the escape hatch reads {@code docs} through a decoded copy; the connection's
     * own {@code temp.docs} beside it is decoded in place (the temp schema is the connection's own and writable even
     * there): a USING or NATURAL join of the two answers as with compress=off (it was refused, 0A000).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "setReadOnly in a transaction"})
    void onAConnectionThatCannotWriteAJoinWithItsOwnTemporaryTableAnswersAsCompressOff(String readOnly)
            throws Exception {
        List<Object> outcomes = offThenAuto("temp-read-only", (settings, file) -> {
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                writeDocsBesideSameNamedTable(connection, file, "temp");
                connection.setReadOnly(true);
                connection.setAutoCommit(!readOnly.endsWith("transaction"));
                results.add(outcome(connection, "SELECT count(*) FROM main.docs JOIN temp.docs USING (body)"));
                results.add(outcome(connection, "SELECT count(*) FROM main.docs NATURAL JOIN temp.docs"));
                results.add(outcome(connection, "SELECT m.id, t.id FROM main.docs m JOIN temp.docs t USING (body)"
                        + " ORDER BY 1"));
                results.add(outcome(connection, "SELECT id, length(body), typeof(body) FROM docs ORDER BY id"));
                results.add(outcome(connection, "SELECT count(*) FROM main.docs m JOIN temp.docs t ON m.body = t.body"));
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            return results;
        });
        assertThat(outcomes.get(0).toString()).contains("5").doesNotContain("error");
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * Where the connection cannot write, an attached {@code aux.docs} beside {@code docs}'s decoded copy cannot be made
     * plain either: it is read through a decoded copy of its own, so a USING or NATURAL join of the two (and its
     * qualified columns, INDEXED BY on it) answers as with compress=off (it was refused, 0A000) — also for a statement
     * prepared while the connection could write.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setReadOnly", "setReadOnly in a transaction"})
    void onAConnectionThatCannotWriteAJoinWithAnAttachedTableAnswersAsCompressOff(String readOnly) throws Exception {
        String[] statements = {
            "SELECT count(*) FROM main.docs JOIN aux.docs USING (body)",
            "SELECT count(*) FROM docs NATURAL JOIN aux.docs",
            "SELECT m.id, a.id FROM main.docs m JOIN aux.docs a USING (body) ORDER BY 1",
            "SELECT aux.docs.id, length(aux.docs.body) FROM main.docs JOIN aux.docs USING (body) ORDER BY 1",
            "SELECT docs.id FROM aux.docs INDEXED BY aux_body JOIN drafts USING (body) ORDER BY 1",
            "SELECT count(*) FROM main.docs m JOIN aux.docs t ON m.body = t.body"};
        List<Object> outcomes = offThenAuto("aux-read-only", (settings, file) -> {
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                writeDocsBesideSameNamedTable(connection, file, "aux");
                CompressDb.execute(connection, "CREATE INDEX aux.aux_body ON docs (body)",
                        "CREATE TABLE drafts(id INTEGER PRIMARY KEY, body TEXT)",
                        "INSERT INTO drafts SELECT id, body FROM main.docs WHERE id < 3");
                try (PreparedStatement early = connection.prepareStatement(statements[0])) {
                    connection.setReadOnly(true);
                    connection.setAutoCommit(!readOnly.endsWith("transaction"));
                    for (String sql : statements) {
                        results.add(outcome(connection, sql));
                    }
                    try (ResultSet rows = early.executeQuery()) {
                        results.add(CompressDb.rows(rows));
                    }
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            return results;
        });
        assertThat(outcomes.get(0).toString()).contains("5").doesNotContain("error");
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * Beside a {@code mode=ro} main database, a statement the rewriter cannot read that writes a writable attached
     * {@code aux.docs} and names its columns runs as written: the table it writes is not read through a copy
     * ({@code aux.docs.body} there names the target); where it holds values stored compressed, they are decoded in
     * place first, as the statement writes that database anyway (it was refused, 0A000).
     */
    @ParameterizedTest(name = "aux.docs written {0}")
    @ValueSource(strings = {"plain", "through the driver"})
    void aWriteIntoAWritableAttachedTableBesideAReadOnlyMainRunsAsWritten(String written) throws Exception {
        List<Object> outcomes = offThenAuto("ro-main", (settings, file) -> {
            Path aux = file.resolveSibling("rw-aux-" + file.getFileName());
            try (Connection connection = CompressDb.open(file, settings)) {
                writeDocsBesideSameNamedTable(connection, file, "main-only");
                CompressDb.execute(connection, "CREATE TABLE drafts(id INTEGER PRIMARY KEY, body TEXT)",
                        "INSERT INTO drafts SELECT id, body FROM main.docs WHERE id < 3");
            }
            EnhancedSqlite.shutdown();
            try (Connection plain = written.equals("plain") ? CompressDb.plain(aux) : CompressDb.open(aux, settings)) {
                CompressDb.execute(plain, "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT, n INTEGER)");
                for (int i = 0; i < 5; i++) {
                    CompressDb.update(plain, "INSERT INTO docs(id, body) VALUES (?, ?)", i,
                            "a long enough value to be stored compressed ".repeat(30) + i);
                }
            }
            EnhancedSqlite.shutdown();
            List<Object> results = new ArrayList<>();
            try (Connection connection = java.sql.DriverManager.getConnection(CompressDb.PREFIX + "file:"
                    + file.toAbsolutePath() + "?mode=ro" + (settings.isEmpty() ? "" : "&" + settings))) {
                CompressDb.execute(connection, "ATTACH '" + aux + "' AS aux");
                results.add(outcome(connection, "UPDATE aux.docs SET n = 1 WHERE aux.docs.body IN"
                        + " (SELECT body FROM main.docs JOIN drafts USING (body))"));
                results.add(outcome(connection, "SELECT id, n, length(body) FROM aux.docs ORDER BY id"));
            }
            return results;
        });
        assertThat(outcomes.get(0).toString()).contains("updated 3").doesNotContain("error");
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /** One side of a differential test: what it gives on a file of its own with these settings. */
    private interface Side {
        List<Object> run(String settings, Path file) throws Exception;
    }

    /** The outcomes of {@code side} with compress=off, then with compression, each on a new file, pools closed after. */
    private List<Object> offThenAuto(String name, Side side) throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (String settings : new String[] {OFF, AUTO}) {
            outcomes.add(side.run(settings, dir.resolve(name + (settings.isEmpty() ? "-auto" : "-off") + ".db")));
            EnhancedSqlite.shutdown();
        }
        return outcomes;
    }

    /**
     * {@code docs} and {@code temp.docs} or an attached {@code aux.docs}, five equal long values in each
     * ({@code main-only}: {@code docs} alone).
     */
    private static void writeDocsBesideSameNamedTable(Connection connection, Path file, String schema)
            throws SQLException {
        CompressDb.execute(connection, "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT)");
        if (schema.equals("main-only")) {
            for (int i = 0; i < 5; i++) {
                CompressDb.update(connection, "INSERT INTO main.docs(id, body) VALUES (?, ?)", i,
                        "a long enough value to be stored compressed ".repeat(30) + i);
            }
            return;
        }
        if (schema.equals("temp")) {
            CompressDb.execute(connection, "CREATE TEMP TABLE docs(id INTEGER PRIMARY KEY, body TEXT)");
        } else {
            CompressDb.execute(connection, "ATTACH '" + file.resolveSibling(file.getFileName() + "-aux") + "' AS aux",
                    "CREATE TABLE aux.docs(id INTEGER PRIMARY KEY, body TEXT)");
        }
        for (String table : new String[] {"main.docs", schema + ".docs"}) {
            for (int i = 0; i < 5; i++) {
                CompressDb.update(connection, "INSERT INTO " + table + "(id, body) VALUES (?, ?)", i,
                        "a long enough value to be stored compressed ".repeat(30) + i);
            }
        }
    }

    private Path filled(String settings) throws SQLException, IOException {
        Path file = dir.resolve((settings.isEmpty() ? "auto" : "off") + ".db");
        Files.deleteIfExists(file);
        SqliteGrammarTest.fill(file, settings);
        EnhancedSqlite.shutdown();
        return file;
    }

    private static void addOutcomes(Connection connection, List<Object> results, String... statements) {
        for (String sql : statements) {
            results.add(outcome(connection, sql));
        }
    }

    /** Labels and rows of a query, the update count of anything else, or the error, as the corpus compares them. */
    private static Object outcome(Connection connection, String sql, Object... parameters) {
        return SqliteGrammarTest.outcome(connection, sql, parameters);
    }
}
