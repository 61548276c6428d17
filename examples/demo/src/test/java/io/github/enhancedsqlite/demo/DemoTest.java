package io.github.enhancedsqlite.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo the way README's command does (through {@link Main}), only much shorter, and checks the report
 * a newcomer would read. Nothing here is timed: the numbers vary, the facts below must not.
 */
class DemoTest {

    @Test
    void shortRunComparesBothSidesAndEnhancedSideRunsInWalAndLeavesNoSideFiles(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"--seconds", "0.5", "--threads", "4", "--dir", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; report:%n%s%nstderr:%n%s", report, err).isZero();
        assertThat(report).contains("jdbc:sqlite: (plain)", "jdbc:enhanced-sqlite:");
        // The pragma row: plain keeps SQLite's rollback journal, the enhanced driver's profile switched to WAL.
        assertThat(report).containsPattern("(?m)^\\s+journal_mode\\s+delete\\s+wal\\s+\\*$");
        assertThat(report).containsPattern("(?m)^\\s+throughput\\s+[\\d,]+ ops/s\\s+[\\d,]+ ops/s\\s+x\\d+\\.\\d\\d$");
        // Plain sqlite-jdbc may fail a write with SQLITE_BUSY; the enhanced driver must acknowledge all of them,
        // and on both sides every acknowledged write must be in the file.
        assertThat(report).containsPattern("(?m)^\\s+ledger \\(240 upserts\\)\\s+\\d+ acked, intact\\s+240 acked, "
                + "intact\\s+(same content|differs: failed writes)$");
        assertThat(report).containsPattern("(?m)^\\s+side files after exit\\s+none\\s+none$");
        // The report's last word agrees with the files themselves.
        assertThat(dir.resolve("enhanced/memory.db")).isRegularFile();
        assertThat(Files.exists(dir.resolve("enhanced/memory.db-wal"))).isFalse();
        assertThat(Files.exists(dir.resolve("enhanced/memory.db-shm"))).isFalse();
        assertThat(report).contains("databases kept in " + dir.toAbsolutePath());
    }

    @Test
    void errorKindsReadAsSqliteResultCodeAndSqlitesOwnText() {
        assertThat(ErrorTally.kindOf(new SQLException(
                "[SQLITE_BUSY] The database file is locked (database is locked)", null, 5)))
                .isEqualTo("[SQLITE_BUSY] database is locked");
        assertThat(ErrorTally.kindOf(new SQLException("pool closed", "08003")))
                .isEqualTo("SQLException (SQLState 08003): pool closed");
    }
}
