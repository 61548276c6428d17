package io.github.enhancedsqlite.examples.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as it runs: real agent JVMs writing to one file at once. Beyond the demo's own check of every
 * acknowledged write, the file is read here directly and must hold exactly what the plan adds up to.
 */
class AgentMemoryDemoTest {

    private static final AgentMemoryDemo.Plan PLAN = new AgentMemoryDemo.Plan(3, 2, 4, 2, 5);

    @TempDir
    Path dir;

    @Test
    void severalAgentProcessesShareOneFileAndNoAcknowledgedWriteIsLost() throws Exception {
        Path file = dir.resolve("agents.db");

        AgentMemoryDemo.Outcome outcome = AgentMemoryDemo.run(file, PLAN, testClassPath());

        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.acknowledged()).isEqualTo(PLAN.writes()).isEqualTo(3 * 2 * 4 * 3 + 3 * 2 * 5);

        Map<String, Long> versions = new HashMap<>();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + file);
             Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT namespace || '/' || key, version FROM memory_entries");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                versions.put(rows.getString(1), rows.getLong(2));
            }
            assertThat(versions).hasSize((int) PLAN.notes() + 1);
            for (int agent = 0; agent < PLAN.agents(); agent++) {
                for (int thread = 0; thread < PLAN.threads(); thread++) {
                    for (int note = 0; note < PLAN.notesPerThread(); note++) {
                        String key = "notes/agent-" + agent + "-t" + thread + "-note-" + note;
                        assertThat(versions).containsEntry(key, 1L + PLAN.updatesPerNote());
                    }
                }
            }
            assertThat(versions).containsEntry("team/progress", 1 + PLAN.increments());
            MemoryEntry progress = new MemoryStore(dataSource).retrieve("anyone", "team", "progress").orElseThrow();
            assertThat(AgentProcess.count(progress.value())).isEqualTo(PLAN.increments());
        }
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
