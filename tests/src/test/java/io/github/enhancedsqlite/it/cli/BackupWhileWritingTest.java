package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup} while another process keeps committing: every backup is an intact database in which the writer's
 * invariant holds, i.e. it is the database as of one commit, never pages from different moments.
 */
class BackupWhileWritingTest {

    @TempDir
    Path dir;

    @Test
    void everyBackupTakenDuringWritesIsOneConsistentCommit() throws Exception {
        Path db = dir.resolve("ledger.db");
        Toolkit.createLedger(db);
        Path stop = dir.resolve("stop");
        Process writer = Toolkit.startLedgerWriter(db, stop);
        try (BufferedReader output = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(output.readLine()).isEqualTo("writing");
            for (int i = 0; i < 4; i++) {
                Path backup = dir.resolve("backup-" + i + ".db");
                Toolkit.Run run = Toolkit.run("backup", db, backup);
                assertThat(run.exitCode()).as(run.all()).isZero();
                assertConsistent(backup);
            }
            Files.createFile(stop);
            assertThat(writer.waitFor(2, TimeUnit.MINUTES)).as("the writer stops").isTrue();
            assertThat(output.readLine()).startsWith("wrote ");
        } finally {
            writer.destroyForcibly();
        }
        assertThat(writer.exitValue()).isZero();
        assertConsistent(db);
    }

    private static void assertConsistent(Path file) throws Exception {
        try (Connection connection = Toolkit.plain(file)) {
            assertThat(Toolkit.strings(connection, "PRAGMA integrity_check")).containsExactly("ok");
            List<String> invariant = Toolkit.strings(connection, "SELECT (SELECT count(*) FROM ledger) = entries"
                    + " AND (SELECT coalesce(sum(amount), 0) FROM ledger) = amount FROM totals");
            assertThat(invariant).as(file + ": ledger and totals from the same commit").containsExactly("1");
            assertThat(Toolkit.strings(connection, "SELECT entries FROM totals").get(0)).isNotEqualTo("0");
        }
    }
}
