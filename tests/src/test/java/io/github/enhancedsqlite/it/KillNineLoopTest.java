package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill -9 loop: writer processes on one file are killed with SIGKILL again and again, each while its threads
 * upsert, increment a shared counter in read-then-write transactions and read, and a new one takes its place — what
 * an agent's hooks and short-lived tools do to a memory file. Nothing a writer was told is committed may be lost, no
 * error may reach a writer, the file must stay intact, and whatever the killed processes left (a -wal, a -shm, the
 * writers' queue file, a turn held in the kernel) must not stop the next writer.
 */
class KillNineLoopTest {

    /** A hung child must not hang the build; this bounds each wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 2;
    private static final int PROCESSES = 3;
    private static final int THREADS = 2;
    private static final int KILLS = 9;
    /** Acknowledged upserts a process prints before it is killed: it is surely writing by then. */
    private static final int ACKS_BEFORE_KILL = 20;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void writersKilledOverAndOverLoseNoAcknowledgedWriteAndTheNextWriterCarriesOn() throws Exception {
        Path database = dir.resolve("memory.db");
        List<Writer> all = new ArrayList<>();
        Writer[] running = new Writer[PROCESSES];
        for (int slot = 0; slot < PROCESSES; slot++) {
            running[slot] = Writer.start(database, "p" + all.size());
            all.add(running[slot]);
        }
        for (int kill = 0; kill < KILLS; kill++) {
            int slot = kill % PROCESSES;
            running[slot].killAfterAcks(ACKS_BEFORE_KILL);
            running[slot] = Writer.start(database, "p" + all.size());
            all.add(running[slot]);
        }
        for (Writer writer : running) {
            writer.killAfterAcks(ACKS_BEFORE_KILL);
        }

        Set<String> acknowledged = new HashSet<>();
        long increments = 0;
        List<String> errors = new ArrayList<>();
        for (Writer writer : all) {
            for (String line : writer.lines()) {
                if (line.startsWith("ack ")) {
                    acknowledged.add(line.substring(4));
                } else if (line.startsWith("inc ")) {
                    increments++;
                } else if (line.startsWith("error ")) {
                    errors.add(line);
                }
            }
        }
        assertThat(errors).as("errors that reached a writer").isEmpty();

        // what the killed processes left must not stop a writer: this one opens the file and writes
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "INSERT INTO memory(key, body) VALUES ('after', '{}')");
        }
        EnhancedSqlite.shutdown();

        try (Connection witness = Db.plain(database)) {
            assertThat(Db.pragma(witness, "integrity_check")).isEqualTo("ok");
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(Db.queryStrings(witness, "SELECT key FROM memory"));
            assertThat(lost).as("acknowledged upserts missing from the file").isEmpty();
            // each killed thread may have committed one increment it had no time to print, never more
            long counted = Db.queryLong(witness, "SELECT sum(n) FROM counters");
            assertThat(counted).as("increments counted against %d acknowledged", increments)
                    .isBetween(increments, increments + (long) all.size() * THREADS);
            assertThat(Db.queryStrings(witness, "SELECT key FROM memory WHERE key = 'after'")).hasSize(1);
        }
    }

    /** One writer process and everything it printed, its complete lines only. */
    private static final class Writer {

        private final Process process;
        private final CountDownLatch acks = new CountDownLatch(ACKS_BEFORE_KILL);
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        private Writer(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "output of " + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        static Writer start(Path database, String name) throws IOException {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", ChildJvm.testClassPath(), KillNineWriterMain.class.getName(),
                    database.toString(), name, Integer.toString(THREADS));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            return new Writer(process);
        }

        /** Waits until the process has acknowledged writes, then kills it with SIGKILL and waits for its end. */
        void killAfterAcks(int count) throws InterruptedException {
            if (!acks.await(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("a writer acknowledged fewer than " + count + " writes; it printed:\n"
                        + String.join("\n", lines()));
            }
            // SIGKILL: no exit hook, no close. Through the handle, which leaves the output to be read to its end
            // (Process.destroyForcibly would also close this side of the pipe, dropping the last lines printed)
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)).isTrue();
            reader.join(TimeUnit.MINUTES.toMillis(GIVE_UP_MINUTES));
        }

        synchronized List<String> lines() {
            return new ArrayList<>(lines);
        }

        /** Splits the output at newlines; a line the kill cut short has none and is dropped. */
        private void read() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (InputStream in = process.getInputStream()) {
                int b;
                while ((b = in.read()) >= 0) {
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    String complete = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    synchronized (this) {
                        lines.add(complete);
                    }
                    if (complete.startsWith("ack ")) {
                        acks.countDown();
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    lines.add("error reading the output: " + e);
                }
            }
        }
    }
}
