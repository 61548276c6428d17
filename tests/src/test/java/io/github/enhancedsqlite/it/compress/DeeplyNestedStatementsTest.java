package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements whose conditions nest parentheses deeply, as sqllogictest's index tests and query builders write them,
 * on a table holding compressed values. The parser the rewriter uses takes time exponential in such nesting (ten
 * nested {@code (a AND (…))} groups: hours; a statement it cannot read at all, five parentheses deep: minutes), so
 * each of these once stalled its thread; each must answer as with {@code compress=off}. The timeout only ends a
 * stalled run (on a thread of its own: the parser ignores interrupts); nothing here is timed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeeplyNestedStatementsTest {

    @TempDir
    Path dir;

    Path off;
    Path auto;

    @BeforeEach
    void twoDatabases() throws SQLException {
        off = dir.resolve("off.db");
        auto = dir.resolve("auto.db");
        fill(off, SqliteGrammarTest.OFF);
        fill(auto, SqliteGrammarTest.AUTO);
        assertThat(CompressDb.catalog(auto)).contains("notes.body");
    }

    private static void fill(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection,
                    "CREATE TABLE notes (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, label TEXT, body TEXT)");
            for (int i = 1; i <= 40; i++) {
                CompressDb.update(connection, "INSERT INTO notes (a, b, label, body) VALUES (?, ?, ?, ?)", i % 7,
                        i % 5, "label " + i, (i % 3 == 0 ? "even " : "odd ") + SqliteGrammarTest.body(i));
            }
        }
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /** (b < 0 AND (b < 1 AND (… (innermost)))), {@code depth} groups deep. */
    private static String nested(String innermost, int depth) {
        String condition = innermost;
        for (int i = 0; i < depth; i++) {
            condition = "(b < " + (5 - i % 5) + " AND (" + condition + " OR a = " + i + "))";
        }
        return condition;
    }

    private void answersAsWithoutCompression(String sql) {
        Object expected = SqliteGrammarTest.outcome(off, SqliteGrammarTest.OFF, sql);
        assertThat(expected.toString()).as("the statement runs on compress=off").doesNotStartWith("error");
        assertThat(SqliteGrammarTest.outcome(auto, SqliteGrammarTest.AUTO, sql)).isEqualTo(expected);
    }

    @Test
    void aStatementNamingNoCompressedColumnRunsAsWritten() throws SQLException {
        answersAsWithoutCompression("SELECT id, label FROM notes WHERE " + nested("a > 2", 10) + " ORDER BY id");
        answersAsWithoutCompression("UPDATE notes SET label = 'x' || label WHERE " + nested("a < 3", 10));
        answersAsWithoutCompression("SELECT count(*) FROM notes WHERE " + nested("label LIKE '%1%'", 10));
        assertThat(CompressDb.catalog(auto)).as("nothing made plain").contains("notes.body");
    }

    @Test
    void aStatementReadingACompressedColumnIsRewritten() throws SQLException {
        answersAsWithoutCompression("SELECT id, substr(body, 1, 20) FROM notes WHERE "
                + nested("body LIKE 'even%'", 10) + " ORDER BY id");
        answersAsWithoutCompression("SELECT id FROM notes WHERE " + nested("body > ?", 8).replace("?", "'odd'")
                + " AND body IS NOT NULL ORDER BY id");
        assertThat(CompressDb.catalog(auto)).as("rewritten, not made plain").contains("notes.body");
    }

    @Test
    void aStatementTheParserCannotReadAnswersOnPlainColumns() {
        // SQLite reads "+ + a"; the parser does not, and its complex mode backtracks for minutes before saying so
        answersAsWithoutCompression("SELECT * FROM notes WHERE NOT (NOT ((NOT NULL NOT BETWEEN (+ + a + b) AND NULL)))"
                + " OR a = 3 ORDER BY id");
    }

    @Test
    void aDeepStatementOnlyTheParsersComplexModeReadsAnswersAsWithoutCompression() {
        // a condition as a function's argument needs the parser's complex mode
        String condition = "body LIKE 'even%'";
        for (int i = 0; i < 8; i++) {
            condition = "iif(b BETWEEN " + i + " AND 4, " + condition + ", a = " + i + ")";
        }
        answersAsWithoutCompression("SELECT id, length(body) FROM notes WHERE " + condition + " ORDER BY id");
    }
}
