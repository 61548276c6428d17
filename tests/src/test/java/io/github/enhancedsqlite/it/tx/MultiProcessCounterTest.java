package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 6: several processes on one file. N real child JVMs with M threads each add 1 to a counter K
 * times each; the counter ends at exactly N*M*K and no child saw a single error. The children start writing
 * together (each says "ready" and waits for a line on stdin).
 */
class MultiProcessCounterTest {

    private static final int PROCESSES = 3;
    private static final int THREADS = 4;
    private static final int INCREMENTS = 200;
    /** Bounds the wait for a hung child; it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 3;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void readThenWriteTransactionsThroughInTransactionLoseNoIncrement() throws Exception {
        runAndCheck("inTransaction");
    }

    @Test
    void plainManualTransactionsWithoutAnyRetryOfTheirOwnLoseNoIncrementAndSeeNoError() throws Exception {
        runAndCheck("manual");
    }

    @Test
    void autoCommitIncrementsLoseNothingAndSeeNoError() throws Exception {
        runAndCheck("autocommit");
    }

    private void runAndCheck(String mode) throws Exception {
        Path file = dir.resolve("counter-" + mode + ".db");
        String url = TxDb.url(file, "");
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.execute(connection, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                    "INSERT INTO counter VALUES (1, 0)");
        }
        EnhancedSqlite.shutdown(); // this JVM lets go of the file: only the children use it

        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                children.add(Child.start(url, mode, THREADS, INCREMENTS));
            }
            for (Child child : children) {
                child.awaitReady();
            }
            for (Child child : children) {
                child.go();
            }
            long done = 0;
            for (Child child : children) {
                int exit = child.awaitExit();
                String output = child.output();
                assertThat(exit).as("exit code of a child; its output:\n" + output).isZero();
                assertThat(output).as("errors the child's application saw").contains("errors=0");
                done += child.reported("done=");
            }
            assertThat(done).isEqualTo((long) PROCESSES * THREADS * INCREMENTS);
        } finally {
            for (Child child : children) {
                child.process.destroyForcibly();
            }
        }
        assertThat(counter(file)).isEqualTo((long) PROCESSES * THREADS * INCREMENTS);
    }

    private static long counter(Path file) throws SQLException {
        return TxDb.committed(file, "SELECT n FROM counter WHERE id = 1");
    }

    /** One child JVM running {@link CounterWorkerMain}, its output collected line by line. */
    private static final class Child {

        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread reader;

        private Child(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String url, String mode, int threads, int increments) throws IOException {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", testClassPath(),
                    CounterWorkerMain.class.getName(), url, mode, Integer.toString(threads), Integer.toString(increments));
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** surefire may pass the class path through a manifest-only jar; java honours that. */
        private static String testClassPath() {
            String surefire = System.getProperty("surefire.test.class.path");
            return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                lines.add("(output lost: " + e + ")");
            }
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                throw new AssertionError("child never got ready; output:\n" + output());
            }
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            in.close();
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("child did not exit; output:\n" + output());
            }
            reader.join(TimeUnit.MINUTES.toMillis(1));
            return process.exitValue();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        long reported(String prefix) {
            synchronized (lines) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) {
                        return Long.parseLong(line.substring(prefix.length()).trim());
                    }
                }
            }
            throw new AssertionError("child did not report " + prefix + "; output:\n" + output());
        }
    }
}
