package io.github.enhancedsqlite.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process's turn on the writers' queue file is the JVM's: it passes between this JVM's writers without a system
 * call while one of them waits, and the kernel's lock is given back once the last writer leaves. What the kernel holds
 * is read from {@code /proc/locks}, not from the driver's own bookkeeping.
 */
class ProcessQueueTest {

    @TempDir
    Path dir;

    private Path lockFile;

    @AfterEach
    void removeLockFile() throws IOException {
        if (lockFile != null) {
            Files.deleteIfExists(lockFile);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theTurnPassesToAWaitingWriterOfThisJvmWithoutTheKernelAndIsGivenBackWhenTheLastLeaves() throws Exception {
        WriterGate gate = gateOnNewFile("queue.db");
        ProcessQueue queue = gate.processQueue();
        Object first = new Object();
        Object second = new Object();

        gate.acquire(first, 10_000);
        assertThat(queue.turnsTaken()).isEqualTo(1);
        assertThat(kernelHoldsTurn()).as("the kernel's turn lock, held by the first writer").isTrue();

        CountDownLatch secondHolds = new CountDownLatch(1);
        CountDownLatch secondMayEnd = new CountDownLatch(1);
        CompletableFuture<Void> secondWriter = CompletableFuture.runAsync(() -> {
            try {
                gate.acquire(second, 60_000);
                secondHolds.countDown();
                secondMayEnd.await();
                gate.release(second);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (queue.writers() < 2) { // the second writer counts itself before it waits for the JVM's turn
            Thread.onSpinWait();
        }
        gate.release(first);
        secondHolds.await();
        assertThat(queue.turnsTaken()).as("the second writer took no lock of its own").isEqualTo(1);
        assertThat(kernelHoldsTurn()).as("the turn lock, kept across the hand-over").isTrue();

        secondMayEnd.countDown();
        secondWriter.get();
        assertThat(kernelHoldsTurn()).as("the turn lock once no writer of this JVM holds or waits").isFalse();

        gate.acquire(first, 10_000);
        assertThat(queue.turnsTaken()).as("the next writer queues again").isEqualTo(2);
        assertThat(kernelHoldsTurn()).isTrue();
        gate.release(first);
        assertThat(kernelHoldsTurn()).isFalse();
        gate.close();
    }

    /**
     * Writers that come and go together: each round, several threads take the turn once each, so the last to leave
     * races the ones arriving and leaving beside it. Once all of a round have left, the process must not hold the turn
     * (a departure that lost the race to give it back, while the other thought a writer was still there, would leave
     * an idle JVM holding other processes out).
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aJvmWhoseWritersHaveAllLeftHoldsNoTurnHoweverTheirDeparturesInterleave() throws Exception {
        WriterGate gate = gateOnNewFile("rounds.db");
        ProcessQueue queue = gate.processQueue();
        int threads = 4;
        int rounds = 3_000;
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Object owner = new Object();
            Thread writer = new Thread(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        start.await();
                        gate.acquire(owner, 60_000);
                        gate.release(owner);
                        end.await();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            writers.add(writer);
            writer.start();
        }
        int heldWhileIdle = 0;
        for (int round = 0; round < rounds && failures.isEmpty(); round++) {
            start.await();
            end.await();
            if (queue.holdsTurn()) {
                heldWhileIdle++;
            }
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(failures).isEmpty();
        assertThat(heldWhileIdle).as("rounds after which the idle JVM still held the turn").isZero();
        assertThat(kernelHoldsTurn()).isFalse();
        gate.close();
    }

    /**
     * The writer turn of a new file in the test's directory, handing over at once (no fairness window) and with no time
     * bound on the process's turn: the hand-overs must keep it however long the machine takes to run a thread.
     */
    /**
     * A process killed while it queued leaves its queue file behind, and the file system gives the inode of its
     * removed database to a new file: a pool that creates that file finds a queue file no other process uses. It must
     * not join it (every write would then pay the kernel's lock and unlock for nothing), and removes it.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPoolOnAFileItCreatedRemovesAQueueFileLeftByAnEarlierFileOfTheSameIdentityAndWritesWithoutIt()
            throws Exception {
        Path database = Files.createFile(dir.resolve("reused-inode.db"));
        lockFile = ProcessQueue.lockFileOf(database);
        Files.createFile(lockFile);
        WriterGate gate = new WriterGate("queue-test", database, true, 0, Long.MAX_VALUE,
                new DatabaseMetrics("queue-test"));
        Object writer = new Object();
        for (int write = 0; write < 3; write++) {
            gate.acquire(writer, 10_000);
            gate.release(writer);
        }
        assertThat(gate.processQueue().turnsTaken()).as("turns taken on the queue file").isZero();
        assertThat(lockFile).as("the queue file nobody used").doesNotExist();
    }

    /**
     * A process killed between marking the queue file removed and unlinking it leaves a marked file at the path. The
     * next process must not take it for a file removed under its open descriptor again and again: it removes it and
     * queues on a new one.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aQueueFileLeftMarkedRemovedIsReplacedInsteadOfReopenedForever() throws Exception {
        WriterGate gate = gateOnNewFile("marked.db");
        byte[] marked = {0, 0, 1};
        Files.write(lockFile, marked);
        Object writer = new Object();
        gate.acquire(writer, 10_000);
        try {
            assertThat(gate.processQueue().turnsTaken()).isEqualTo(1);
            assertThat(kernelHoldsTurn()).as("the turn, held on the new queue file").isTrue();
            assertThat(Files.readAllBytes(lockFile)).as("the new queue file").isEmpty();
        } finally {
            gate.release(writer);
        }
    }

    private WriterGate gateOnNewFile(String name) throws IOException {
        Path database = Files.createFile(dir.resolve(name));
        lockFile = ProcessQueue.lockFileOf(database);
        return new WriterGate("queue-test", database, false, 0, Long.MAX_VALUE, new DatabaseMetrics("queue-test"));
    }

    /** Whether this process holds a POSIX write lock on byte 1 (the turn) of the queue file, as the kernel says. */
    private boolean kernelHoldsTurn() throws IOException {
        Object key = Files.readAttributes(lockFile, BasicFileAttributes.class).fileKey();
        Matcher inode = Pattern.compile("ino=(\\d+)").matcher(String.valueOf(key));
        assertThat(inode.find()).as("the queue file's inode in %s", key).isTrue();
        long pid = ProcessHandle.current().pid();
        Pattern turn = Pattern.compile("POSIX\\s+ADVISORY\\s+WRITE\\s+" + pid + "\\s+\\S+:\\S+:" + inode.group(1)
                + "\\s+1\\s+1");
        return Files.readAllLines(Path.of("/proc/locks")).stream().anyMatch(line -> turn.matcher(line).find());
    }
}
