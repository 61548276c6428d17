package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements that list a schema answer as with {@code compress=off}: once values are stored compressed the file
 * holds the driver's own tables (their indexes, their row in sqlite_sequence, after ANALYZE their statistics), which
 * SQLite's listings would show — to a test suite that drops every table it finds, or a tool that compares the schema
 * with its model. Differential, on twin files written alike.
 */
class SchemaListingsTest {

    private static final List<String> LISTINGS = List.of(
            "SELECT name FROM sqlite_master ORDER BY name",
            "SELECT count(*) FROM sqlite_master",
            "select type, name, tbl_name, sql from SQLITE_SCHEMA where type = 'table' order by name",
            "SELECT * FROM sqlite_master WHERE name IN ('t', 'u') ORDER BY name",
            "SELECT m.name, m.type FROM sqlite_master AS m ORDER BY 1",
            "SELECT m.name FROM main.sqlite_master m ORDER BY 1",
            "SELECT sqlite_master.name FROM sqlite_master ORDER BY 1",
            "SELECT name FROM \"sqlite_master\" WHERE name IN (SELECT name FROM sqlite_schema) ORDER BY 1",
            "SELECT a.name, b.type FROM sqlite_master a JOIN sqlite_master b USING (name) ORDER BY 1",
            "WITH x AS (SELECT name FROM sqlite_master) SELECT count(*) FROM x, sqlite_schema s WHERE s.name = x.name",
            "SELECT name FROM t, sqlite_master WHERE t.id = 1 ORDER BY 1",
            "SELECT count(*) FROM temp.sqlite_master",
            "SELECT schema, name, type FROM pragma_table_list ORDER BY 1, 2",
            "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY 1, 2",
            "SELECT name, seq FROM sqlite_sequence ORDER BY 1",
            "WITH sqlite_master AS (SELECT 'mine' AS name) SELECT name FROM sqlite_master");

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void listingsOfTheSchemaLeaveTheDriversTablesOut() throws Exception {
        List<List<String>> answers = new ArrayList<>();
        for (String compress : new String[] {SqliteGrammarTest.OFF, SqliteGrammarTest.AUTO}) {
            Path file = dir.resolve((compress.isEmpty() ? "auto" : "off") + ".db");
            // enough values for a dictionary, whose table counts in sqlite_sequence
            String settings = (compress.isEmpty() ? "" : compress + "&") + "compressDictionarySamples=20";
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)",
                        "CREATE TABLE u (a TEXT UNIQUE)", "CREATE TABLE s (id INTEGER PRIMARY KEY AUTOINCREMENT, x)",
                        "INSERT INTO s (x) VALUES (1)");
                for (int i = 1; i <= 25; i++) {
                    CompressDb.update(connection, "INSERT INTO t (id, body) VALUES (?, ?)", i,
                            CompressDb.hookRecord(i));
                }
            }
            EnhancedSqlite.shutdown(); // finishes the training the writes asked for
            List<String> answer = new ArrayList<>();
            try (Connection connection = CompressDb.open(file, settings)) {
                CompressDb.execute(connection, "ANALYZE");
                for (String listing : LISTINGS) {
                    answer.add(listing + " => " + CompressDb.rows(connection, listing));
                }
                // its rows come in the order of SQLite's hash of the schema, which the driver's tables change
                answer.add("PRAGMA table_list, sorted => "
                        + CompressDb.rows(connection, "PRAGMA table_list").stream().sorted().toList());
            }
            answers.add(answer);
        }
        Path auto = dir.resolve("auto.db");
        try (Connection plain = CompressDb.plain(auto)) {
            assertThat(CompressDb.rows(plain, "SELECT name FROM sqlite_master WHERE name LIKE '%enhanced%'"))
                    .as("the driver's tables are there to be left out").hasSizeGreaterThanOrEqualTo(2);
            assertThat(CompressDb.rows(plain, "SELECT tbl FROM sqlite_stat1 WHERE tbl LIKE '%enhanced%'"))
                    .as("and their statistics").isNotEmpty();
            assertThat(CompressDb.rows(plain, "SELECT name FROM sqlite_sequence WHERE name LIKE '%enhanced%'"))
                    .as("and their sequence").isNotEmpty();
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
    }
}
