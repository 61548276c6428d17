package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short-lived files in one JVM, as test suites use them: idle pools close beyond maxIdlePools, so a process under a
 * low descriptor limit opens hundreds of files in turn (before, it died with SQLITE_CANTOPEN at the 67th file under
 * {@code ulimit -n 1024}, holding ten connections per file); and a JVM exiting with dozens of pools open whose
 * directory was deleted ends without recreating anything there.
 */
class ManyFilesTest {

    /** macOS's usual soft limit: a quarter of Linux's. */
    private static final int LOW_DESCRIPTOR_LIMIT = 256;
    private static final int FILES = 400;

    @TempDir
    Path dir;

    @Test
    void hundredsOfFilesInTurnUnderALowDescriptorLimit() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // bash sets the limit and replaces itself with the JVM; without bash the test fails, it does not skip
        ChildJvm.Result child = ChildJvm.exec(List.of("bash", "-c", "ulimit -n " + LOW_DESCRIPTOR_LIMIT
                + " && exec \"$0\" -cp \"$1\" " + ManyFilesMain.class.getName() + " files \"$2\" " + FILES, java,
                ChildJvm.testClassPath(), dir.toString()), null, 2);
        assertThat(child.exitCode()).as(child.output()).isZero();
        // each open pool holds its idle connection's file, -wal and -shm: the maxIdlePools (8) kept when the last
        // file opened, the last file's own, and the one pool the last open may have left closing in the background
        assertThat(figure(child, "database-fds=")).as("database descriptors open after %d files", FILES)
                .isLessThanOrEqualTo((8 + 1 + 1) * 3);
        assertThat(figure(child, "fds=")).as("all descriptors open after %d files", FILES)
                .isLessThan(LOW_DESCRIPTOR_LIMIT / 2);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(path -> path.toString().endsWith("-wal"))).as("pools closed checkpointed")
                    .hasSizeLessThanOrEqualTo(10);
        }
    }

    private static long figure(ChildJvm.Result child, String prefix) {
        return Long.parseLong(child.output().lines().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError(child.output())).substring(prefix.length()));
    }

    @Test
    void exitWithManyPoolsWhoseDirectoryWasDeletedRecreatesNothing() throws Exception {
        Path suite = Files.createDirectory(dir.resolve("suite"));
        ChildJvm.Result child = ChildJvm.runWithTestClassPath(ManyFilesMain.class, "delete-and-exit", suite.toString(),
                "40");
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("deleted, held open=true");
        assertThat(suite).as("nothing recreated the deleted directory").doesNotExist();
    }

    @Test
    void aPoolShrinksBackToOneConnectionWhenTheBurstIsOver() throws Exception {
        // HikariCP's housekeeper runs every 30 s; the property only shortens the wait for its idle timeout (10 s)
        ChildJvm.Result child = ChildJvm.run(List.of("-Dcom.zaxxer.hikari.housekeeping.periodMs=200"),
                ChildJvm.testClassPath(), ManyFilesMain.class.getName(), "shrink", dir.toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("grown=4").contains("shrunk=1");
    }
}
