package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 point 5: the writers of all processes on one file queue in the operating system instead of polling. Real
 * child JVMs: one holds a write transaction; another's writer must then be parked in the kernel's lock call (not
 * backing off after SQLITE_BUSY), must write once the first commits, and must never have retried. The queue's lock
 * file lives in the temporary directory, never beside the database; a process that cannot create it (no temporary
 * directory there, or a directory in its place), or is told not to ({@code processQueue=false}), still writes
 * correctly, by retrying against SQLite's lock as before.
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

    /** One child JVM of {@link QueueChildMain}. */
    private record Child(Process process, BufferedReader out, OutputStream in) {

        static Child start(String url, Path file, String mode, Path tmpdir) throws IOException {
            String surefire = System.getProperty("surefire.test.class.path");
            String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmpdir,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", classPath,
                    QueueChildMain.class.getName(), url, file.toString(), mode)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new Child(process, new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)), process.getOutputStream());
        }

        String readLine() throws IOException {
            return out.readLine();
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
