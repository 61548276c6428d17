package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect's report (text and JSON) before and after migrate, and bench on an agent-memory database. */
class InspectAndBenchTest {

    @TempDir
    Path dir;

    private Path db;

    @BeforeEach
    void agentMemory() throws Exception {
        db = dir.resolve("memory.db");
        try (Connection connection = Toolkit.plain(db); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE memory_entries(id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " namespace TEXT NOT NULL DEFAULT 'default', UNIQUE(key, namespace))");
            statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)"
                    + " INSERT INTO memory_entries(key, value, namespace) SELECT 'k' || i,"
                    + " printf('{\"status\": \"done\", \"step\": %d, \"log\": \"%s\"}', i, printf('%.' || (i * 10) || 'c', 'z')),"
                    + " CASE WHEN i % 3 = 0 THEN 'sessions' ELSE 'tasks' END FROM n");
        }
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void inspectReportsNamespacesLargestFirstAndTheCompressionRatioAfterMigrate() throws Exception {
        Toolkit.Run before = Toolkit.run("inspect", db);
        assertThat(before.exitCode()).as(before.all()).isZero();
        assertThat(before.out()).contains("Journal mode  wal", "cache_size", "-1048576", "memory_entries",
                "Compressed columns none");
        assertThat(before.out().indexOf("tasks")).isLessThan(before.out().indexOf("sessions"));

        assertThat(Toolkit.run("migrate", db).exitCode()).isZero();
        Toolkit.Run json = Toolkit.run("inspect", "--json", db);

        assertThat(json.exitCode()).as(json.all()).isZero();
        assertThat(json.out()).startsWith("{").contains("\"column\": \"memory_entries.value\"",
                "\"namespace\": \"tasks\"", "\"entries\": 80", "\"undecodable\": 0");
        assertThat(json.out()).containsPattern("\"ratio\": ([2-9]|\\d\\d+)\\.");
        assertThat(dir.resolve("memory.db-wal")).as("read-only use leaves no WAL behind").doesNotExist();
    }

    @Test
    void benchPrintsARatioPerOperationAndLeavesTheDatabaseAlone() throws Exception {
        byte[] before = Files.readAllBytes(db);

        Toolkit.Run run = Toolkit.run("bench", db, "--operations", "20");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("get by namespace+key", "update value", "LIKE search in namespace",
                "list namespace", "bytes in use").containsPattern("update value\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d\\dx");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void benchNeedsAnAgentMemoryTable() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection connection = Toolkit.plain(other); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t(x)");
        }

        Toolkit.Run run = Toolkit.run("bench", other);

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("needs a table memory_entries");
    }
}
