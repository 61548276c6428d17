package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 point 17: SIGTERM (what {@code ProcessHandle.destroy()} sends, as do service managers and container runtimes)
 * while threads write. The exit hook lets the running statements finish, then closes the pool: the JVM exits, no
 * -wal or -shm is left, and every write that was acknowledged is in the file.
 */
class TerminatedWhileWritingTest {

    /** A hung child must not hang the build; this bounds the wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 2;
    private static final int WRITERS = 4;
    /** Acknowledged writes to wait for before terminating: the writers are surely running by then. */
    private static final int ACKS_BEFORE_TERMINATION = 200;

    @TempDir
    Path dir;

    @Test
    void sigtermWhileThreadsWriteLeavesNoSidecarsAndLosesNoAcknowledgedWrite() throws Exception {
        Path database = dir.resolve("terminated.db");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", ChildJvm.testClassPath(),
                WriteUntilTerminatedMain.class.getName(), database.toString(), Integer.toString(WRITERS));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        List<String> output = new ArrayList<>();
        Set<String> acknowledged = new HashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean terminated = false;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("ack ")) {
                    acknowledged.add(line.substring(4));
                    if (!terminated && acknowledged.size() >= ACKS_BEFORE_TERMINATION) {
                        // SIGTERM, while the writers keep writing (Process.destroy() would also close our end of the
                        // output, so the acknowledgements printed during the exit could not be read)
                        child.toHandle().destroy();
                        terminated = true;
                    }
                }
            }
        } finally {
            if (!child.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new AssertionError("the child did not exit after SIGTERM; output:\n" + tail(output));
            }
        }

        assertThat(acknowledged).as("writes acknowledged before the exit").hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_TERMINATION);
        List<String> leftBehind = Db.sidecars(database);
        try (Connection plain = Db.plain(database)) {
            Set<String> stored = new HashSet<>(Db.queryStrings(plain, "SELECT key FROM events"));
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            assertThat(lost).as("acknowledged writes missing from the file").isEmpty();
            assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
        }
        assertThat(leftBehind).as("left behind by the child; its output ends:\n%s", tail(output)).isEmpty();
    }

    private static String tail(List<String> output) {
        return String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
    }
}
