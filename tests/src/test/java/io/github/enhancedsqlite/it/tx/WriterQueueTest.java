package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.it.metrics.Figures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 point 5: the writers of all processes on one file queue in the operating system instead of polling. Real
 * child JVMs: one holds a write transaction; another's writer must then be parked in the kernel's lock call (not
 * backing off after SQLITE_BUSY), must write once the first commits, and must never have retried. The queue's lock
 * file lives in the temporary directory, never beside the database; a process that cannot create it (no temporary
 * directory there, or a directory in its place), or is told not to ({@code processQueue=false}), still writes
 * correctly, by retrying against SQLite's lock as before. A pool on a file it created joins only once another process
 * queues on the file.
 */
class WriterQueueTest extends TxDatabaseTest {

    @TempDir
    Path tmp;

    @Test
    void aWriterOfAnotherProcessWaitsInTheKernelAndWritesWithoutRetryingOnceTheHolderCommits() throws Exception {
        String url = database("queue.db", "", "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        io.github.enhancedsqlite.EnhancedSqlite.shutdown(); // only the children use the file
        List<Child> children = new ArrayList<>();
        try {
            Child holder = Child.start(url, file, "hold", tmp);
            children.add(holder);
            assertThat(holder.readLine()).isEqualTo("holding");

            Child queued = Child.start(url, file, "write", tmp);
            children.add(queued);
            assertThat(queued.readLine()).as("where the second process's writer waits").isEqualTo("queued-in-kernel");
            // a process whose temporary directory has a directory where the lock file would be cannot join the queue
            Path lockFile;
            try (Stream<Path> queueFiles = Files.list(tmp)) {
                lockFile = queueFiles.filter(p -> p.getFileName().toString().startsWith("enhanced-sqlite-writers-"))
                        .findFirst().orElseThrow(() -> new AssertionError("no queue file in " + tmp));
            }
            Path otherTmp = Files.createDirectories(dir.resolve("other-tmp"));
            Files.createDirectory(otherTmp.resolve(lockFile.getFileName()));
            // the writers that retry do so until the holder commits, which waits for the last child's JVM to start:
            // on a loaded machine that outlasts the default retry budget, so theirs is the largest accepted
            String retrying = url + (url.contains("?") ? "&" : "?") + "busyRetryAttempts=1000&busyRetryMaxWait=600000";
            Child withoutQueue = Child.start(retrying, file, "write", otherTmp);
            children.add(withoutQueue);
            assertThat(withoutQueue.readLine()).as("no temporary directory: the writer falls back to retrying")
                    .isEqualTo("busy-retrying");

            Child optedOut = Child.start(retrying + "&processQueue=false", file, "write", tmp);
            children.add(optedOut);
            assertThat(optedOut.readLine()).as("processQueue=false: the writer retries").isEqualTo("busy-retrying");

            holder.tell("commit");
            assertThat(holder.readLine()).isEqualTo("committed");
            assertThat(queued.readLine()).isEqualTo("written busyRetries=0");
            assertThat(withoutQueue.readLine()).startsWith("written busyRetries=").isNotEqualTo("written busyRetries=0");
            assertThat(optedOut.readLine()).startsWith("written busyRetries=").isNotEqualTo("written busyRetries=0");
        } finally {
            for (Child child : children) {
                child.close();
            }
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(4);
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString()))
                    .as("nothing of the queue beside the database").allMatch(name -> name.startsWith("queue.db") || name.equals("other-tmp"));
        }
    }

    /**
     * A process killed (SIGKILL) while its writer holds the turn cannot give it back; the kernel drops its locks, the
     * queue's and SQLite's, so the writer of another process queued behind it writes at once, without retrying.
     */
    @Test
    void aWriterQueuedBehindAKilledProcessWritesWithoutRetrying() throws Exception {
        String url = database("killed.db", "", "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        io.github.enhancedsqlite.EnhancedSqlite.shutdown(); // only the children use the file
        Child holder = Child.start(url, file, "hold", tmp);
        Child queued = null;
        try {
            assertThat(holder.readLine()).isEqualTo("holding");
            queued = Child.start(url, file, "write", tmp);
            assertThat(queued.readLine()).as("where the second process's writer waits").isEqualTo("queued-in-kernel");

            holder.process().destroyForcibly();
            assertThat(queued.readLine()).isEqualTo("written busyRetries=0");
        } finally {
            holder.close();
            if (queued != null) {
                queued.close();
            }
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).as("the killed holder's update never committed")
                .isEqualTo(1);
    }

    /**
     * The queue's file goes when the last process using it closes its pool, so a temporary directory does not collect
     * one per database ever written. A process whose descriptor outlived that removal, writing again while another
     * process holds the turn, must queue behind it on the file now at the path: on its old, removed file it would meet
     * nobody and back off against SQLite's lock instead.
     */
    @Test
    void theQueueFileGoesWithItsLastUserAndAProcessThatOutlivedItQueuesOnTheNewOne() throws Exception {
        String url = database("removed.db", "", "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        io.github.enhancedsqlite.EnhancedSqlite.shutdown(); // only the children use the file
        List<Child> children = new ArrayList<>();
        try {
            Child outlives = Child.start(url, file, "write-after-line", tmp);
            children.add(outlives);
            assertThat(outlives.readLine()).isEqualTo("idle");
            assertThat(queueFiles()).as("the queue file while a process has it open").hasSize(1);

            Child passing = Child.start(url, file, "write", tmp);
            children.add(passing);
            assertThat(passing.readLine()).isIn("not-waiting", "queued-in-kernel");
            assertThat(passing.readLine()).isEqualTo("written busyRetries=0");
            assertThat(passing.readLine()).as("the passing process ended").isNull();
            assertThat(queueFiles()).as("removed by the process that closed last, the other only holding it open")
                    .isEmpty();

            Child holder = Child.start(url, file, "hold", tmp);
            children.add(holder);
            assertThat(holder.readLine()).isEqualTo("holding");
            outlives.tell("write");
            assertThat(outlives.readLine()).as("where the writer whose queue file was removed waits")
                    .isEqualTo("queued-in-kernel");
            holder.tell("commit");
            assertThat(holder.readLine()).isEqualTo("committed");
            assertThat(outlives.readLine()).isEqualTo("written busyRetries=0");
            assertThat(outlives.readLine()).isNull();
            assertThat(holder.readLine()).isNull();
        } finally {
            for (Child child : children) {
                child.close();
            }
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(4);
        assertThat(queueFiles()).as("every process gone: no queue file left").isEmpty();
    }

    /**
     * A pool that created its database file writes without a queue file: any other process writing the file opens it
     * later, finds it existing and creates the queue file, which this pool's next writer finds. That writer must then
     * wait in the kernel behind the other process's writer and write without retrying once it commits.
     */
    @Test
    void aPoolOnAFileItCreatedJoinsTheQueueOnceAnotherProcessQueuesOnIt() throws Exception {
        file = dir.resolve("created.db");
        String url = "jdbc:enhanced-sqlite:" + file;
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE counter(n INTEGER NOT NULL)");
            statement.execute("INSERT INTO counter VALUES (0)");
            statement.executeUpdate("UPDATE counter SET n = n + 1");
        }
        Path sharedTmp = Path.of(System.getProperty("java.io.tmpdir"));
        Map<String, Object> identity = Files.readAttributes(file, "unix:dev,ino");
        Path queueFile = sharedTmp.resolve("enhanced-sqlite-writers-" + Long.toHexString((Long) identity.get("dev"))
                + "-" + Long.toHexString((Long) identity.get("ino")) + ".lock");
        assertThat(queueFile).as("the queue file of a file this JVM's pool created, after its writes").doesNotExist();

        Child holder = Child.start(url, file, "hold", sharedTmp);
        try {
            assertThat(holder.readLine()).isEqualTo("holding");
            assertThat(queueFile).as("created by the other process, which found the file existing").exists();
            CompletableFuture<Integer> write = new CompletableFuture<>();
            Thread writer = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(url);
                     Statement statement = connection.createStatement()) {
                    write.complete(statement.executeUpdate("UPDATE counter SET n = n + 1"));
                } catch (Exception e) {
                    write.completeExceptionally(e);
                }
            }, "created-pool-writer");
            writer.start();
            assertThat(QueueChildMain.whereItWaits(writer, write)).as("where this pool's writer waits")
                    .isEqualTo("queued-in-kernel");
            holder.tell("commit");
            assertThat(holder.readLine()).isEqualTo("committed");
            assertThat(write.get()).isEqualTo(1);
            assertThat(Figures.of(file).getBusyRetries()).isZero();
        } finally {
            holder.close();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(3);
    }

    private List<Path> queueFiles() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("enhanced-sqlite-writers-")).toList();
        }
    }

    /**
     * This JVM's writers pass the process's turn among themselves without the kernel while one of them waits for it,
     * yet a writer of another process waiting in the kernel still gets it: the JVM gives it back after a bounded hold.
     * Two writers here never let it go: each keeps its transaction, and so the turn, until the other waits for the
     * turn. The child writes until three of its writes have waited in the kernel behind them; without the bound the
     * first of those would wait forever (and the child's silence fail the test once the hang guard runs out).
     */
    @Test
    void aWriterOfAnotherProcessGetsTheTurnWhileThisJvmsWritersNeverLetItGo() throws Exception {
        String url = database("busy.db", "", "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ours = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread[] ring = new Thread[2];
        for (int i = 0; i < ring.length; i++) {
            int other = 1 - i;
            ring[i] = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(url)) {
                    connection.setAutoCommit(false);
                    while (!stop.get()) {
                        TxDb.update(connection, "UPDATE counter SET n = n + 1");
                        while (!stop.get() && !waitsForTheWriterTurn(ring[other])) {
                            Thread.onSpinWait();
                        }
                        connection.commit();
                        ours.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "ring-writer-" + i);
        }
        Child child = null;
        long theirs;
        try {
            for (Thread writer : ring) {
                writer.start();
            }
            // the same temporary directory as this JVM's, so the same queue file
            child = Child.start(url, file, "write-until-queued 3", Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(child.readLine()).isEqualTo("writing");
            String written = child.readLine();
            assertThat(written).as("the other process's writes, queued in the kernel, never retried")
                    .matches("written \\d+ busyRetries=0");
            theirs = Long.parseLong(written.split(" ")[1]);
        } finally {
            stop.set(true);
            for (Thread writer : ring) {
                writer.join();
            }
            if (child != null) {
                child.close();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(ours.get()).isPositive();
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(ours.get() + theirs);
    }

    /** Whether the thread is inside the writer gate, waiting for the JVM's writer turn (so counted as a writer). */
    private static boolean waitsForTheWriterTurn(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("io.github.enhancedsqlite.tx.WriterGate")
                    && frame.getMethodName().equals("acquireInJvm")) {
                return true;
            }
        }
        return false;
    }

    /** One child JVM of {@link QueueChildMain}; its lines are read on a thread of their own, so a silent child fails. */
    private record Child(Process process, BlockingQueue<String> out, OutputStream in) {

        /** How long a child may stay silent: a hang guard for a loaded machine, never a statement about speed. */
        private static final long SILENCE_GUARD_SECONDS = 120;
        private static final String ENDED = "\u0000ended";

        /** @param mode the child's mode and its arguments, separated by spaces */
        static Child start(String url, Path file, String mode, Path tmpdir) throws IOException {
            String surefire = System.getProperty("surefire.test.class.path");
            String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmpdir,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", classPath,
                    QueueChildMain.class.getName(), url, file.toString()));
            command.addAll(List.of(mode.split(" ")));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child is gone; said below
                }
                lines.add(ENDED);
            }, "child-output");
            reader.setDaemon(true);
            reader.start();
            return new Child(process, lines, process.getOutputStream());
        }

        /** The child's next line; null once it ended. */
        String readLine() throws InterruptedException {
            String line = out.poll(SILENCE_GUARD_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the child said nothing for " + SILENCE_GUARD_SECONDS + " s");
            }
            if (line.equals(ENDED)) {
                out.add(ENDED);
                return null;
            }
            return line;
        }

        void tell(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void close() throws InterruptedException {
            try {
                in.close();
            } catch (IOException e) {
                // the child is gone already
            }
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }
}
