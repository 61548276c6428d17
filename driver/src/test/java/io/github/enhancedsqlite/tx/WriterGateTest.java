package io.github.enhancedsqlite.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer turn alone, without SQLite, so hand-overs happen millions of times a minute. A fairness window of a few
 * microseconds makes waiters become due all the time, which is where a wake-up can be lost: a head that looked at the
 * turn while it was held, and decided it was due only after the release had looked for due waiters, slept until its
 * timeout with the turn free while every later writer queued behind it.
 */
class WriterGateTest {

    private static final int THREADS = 8;
    private static final int TURNS_PER_THREAD = 40_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyTurnIsTakenAndNoWriterWaitsOutItsTimeoutWhenWaitersKeepBecomingDue() throws Exception {
        WriterGate gate = new WriterGate("gate-test", TimeUnit.MICROSECONDS.toNanos(20), new DatabaseMetrics("gate-test"));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger turns = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Object connection = new Object();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < TURNS_PER_THREAD && failures.isEmpty(); i++) {
                    try {
                        gate.acquire(connection, 10_000); // a lost wake-up shows as this timeout
                    } catch (SQLException e) {
                        failures.add(e);
                        return;
                    }
                    if (inside.incrementAndGet() != 1) {
                        failures.add(new AssertionError("two writers held the turn at once"));
                    }
                    turns.incrementAndGet();
                    inside.decrementAndGet();
                    gate.release(connection);
                }
            }, "gate-writer-" + t);
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }

        assertThat(failures).isEmpty();
        assertThat(turns.get()).isEqualTo(THREADS * TURNS_PER_THREAD);
    }

    /**
     * Background work (the WAL's restart) holds the turn as a writer does: a writer asking meanwhile times out saying
     * what the work is doing, and the turn is free again once the work ends, even when it fails.
     */
    @Test
    void backgroundWorkHoldsTheTurnAndGivesItBack() throws Exception {
        WriterGate gate = new WriterGate("gate-test", 0, new DatabaseMetrics("gate-test"));
        Object writer = new Object();
        List<Throwable> seenInside = new ArrayList<>();
        Thread other = new Thread(() -> {
            try {
                gate.acquire(writer, 1);
            } catch (SQLException e) {
                seenInside.add(e);
            }
        });

        String result = gate.whileHolding("is starting the WAL over", 1_000, () -> {
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(seenInside).singleElement().satisfies(e -> assertThat(e).hasMessageContaining(
                "is starting the WAL over"));
        assertThatThrownBy(() -> gate.whileHolding("fails", 1_000, () -> {
            throw new SQLException("work failed");
        })).hasMessage("work failed");
        gate.acquire(writer, 1); // free again: taken at once
        gate.release(writer);
    }

    /**
     * Releases wake nobody while no head has seen the turn sit free (writers that never stop writing take it at once);
     * once the head's own look finds a turn left free — the other threads were busy with something else —, releases
     * wake the head from then on, so a turn does not sit idle until the head's next look.
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void releasesWakeTheHeadOnceItsOwnLookFoundTheTurnLeftFree() throws Exception {
        WriterGate gate = new WriterGate("gate-test", TimeUnit.SECONDS.toNanos(60), new DatabaseMetrics("gate-test"));
        Object holder = new Object();
        Object waiter = new Object();
        gate.acquire(holder, 1_000);
        Thread head = new Thread(() -> {
            try {
                gate.acquire(waiter, 60_000);
                gate.release(waiter);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "gate-head");
        head.start();
        while (!gate.taken() || head.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until the head is parked in the queue
        }
        assertThat(gate.wakesHeadOnRelease()).as("nothing learned yet").isFalse();

        gate.release(holder); // wakes nobody: the head finds the free turn at its own next look
        head.join();

        assertThat(gate.wakesHeadOnRelease()).isTrue();
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aWriterThatFindsTheTurnTakenLooksForItInsteadOfQueueingAndTakesItWhenGivenBack() throws Exception {
        // a look that cannot run out, so the test decides when the turn comes back, not the clock
        WriterGate gate = new WriterGate("gate-test", TimeUnit.SECONDS.toNanos(60), TimeUnit.MINUTES.toNanos(5),
                new DatabaseMetrics("gate-test"));
        Object holder = new Object();
        Object writer = new Object();
        gate.acquire(holder, 1_000);
        AtomicInteger took = new AtomicInteger();
        Thread looking = new Thread(() -> {
            try {
                gate.acquire(writer, 60_000);
                took.incrementAndGet();
                gate.release(writer);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "gate-looking");
        looking.start();
        while (!isLooking(looking) && !gate.anyoneQueued()) {
            Thread.onSpinWait(); // until the writer shows where it waits
        }
        assertThat(gate.anyoneQueued()).as("the writer looks for the turn rather than parking in the queue").isFalse();
        assertThat(isLooking(looking)).isTrue();

        gate.release(holder);
        looking.join();

        assertThat(took).hasValue(1);
        assertThat(gate.anyoneQueued()).isFalse();
    }

    /**
     * While writers of other processes take turns with this JVM's, a waiter is overtaken for the process's hold at
     * most; alone again, for the whole window. A waiter that arrived due under the short window and parked for its
     * hand-off was, once the window had grown back, neither handed the turn by the release it waited for nor woken:
     * it sat out its timeout with the turn free (30 s in {@code BenchRunner multi-process}).
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS) // a lost hand-off shows as this timeout
    void aWaiterDueWhileOtherProcessesWriteIsHandedTheTurnAfterTheyStop(@TempDir Path dir) throws Exception {
        // a file this pool created and no queue file yet: the process's turn is never taken, so only the test says
        // whether other processes share it
        Path file = Files.createFile(dir.resolve("gate.db"));
        WriterGate gate = new WriterGate("gate-test", file, true, TimeUnit.SECONDS.toNanos(60),
                TimeUnit.MICROSECONDS.toNanos(1), new DatabaseMetrics("gate-test"));
        Object holder = new Object();
        gate.acquire(holder, 1_000);
        gate.processQueue().assumeSharedWithOthers(true); // the window is 1 µs now
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch headHolds = new CountDownLatch(1);
        CountDownLatch headMayRelease = new CountDownLatch(1);
        Object headConnection = new Object();
        Thread head = new Thread(() -> {
            try {
                gate.acquire(headConnection, 600_000);
                headHolds.countDown();
                headMayRelease.await();
                gate.release(headConnection);
            } catch (SQLException | InterruptedException e) {
                failures.add(e);
            }
        }, "gate-head");
        head.start();
        while (!gate.anyoneQueued() || head.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until the head is parked in the queue
        }
        Object dueConnection = new Object();
        Thread due = new Thread(() -> {
            try {
                gate.acquire(dueConnection, 600_000); // takes the turn left free at its timeout
                gate.release(dueConnection);
            } catch (SQLException e) {
                failures.add(e);
            }
        }, "gate-due");
        due.start();
        while (due.getState() != Thread.State.TIMED_WAITING || isLooking(due)) {
            Thread.onSpinWait(); // until it is parked behind the head, due at once
        }

        gate.release(holder); // hands the turn to the head
        headHolds.await();
        gate.processQueue().assumeSharedWithOthers(false); // the other processes stopped: the window is 60 s again
        headMayRelease.countDown();
        head.join();
        due.join();

        assertThat(failures).as("the due waiter is handed the turn when the head gives it back").isEmpty();
    }

    /**
     * While writers of other processes take turns with this JVM's (its take of the process's turn waited for one), a
     * parked writer is overtaken for the process's hold at most, not the whole window: the release after that hands it
     * the turn. Overtaken for the 20 ms window, it sat out rounds of every other process's turn, which made the p99 of
     * 4 JVMs × 4 writers on one file 31 ms against raw sqlite-jdbc's 22–26 ms.
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void whileOtherProcessesWriteAParkedWriterIsHandedTheTurnOnceTheHoldHasPassed(@TempDir Path dir)
            throws Exception {
        Path file = Files.createFile(dir.resolve("shared.db"));
        WriterGate gate = new WriterGate("gate-test", file, true, TimeUnit.SECONDS.toNanos(60),
                TimeUnit.MICROSECONDS.toNanos(1), new DatabaseMetrics("gate-test"));
        Object holder = new Object();
        gate.acquire(holder, 1_000);
        gate.processQueue().assumeSharedWithOthers(true);
        Object waiting = new Object();
        Thread parked = new Thread(() -> {
            try {
                gate.acquire(waiting, 60_000);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "gate-parked");
        parked.start();
        while (!gate.anyoneQueued() || parked.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until it is parked in the queue
        }

        gate.release(holder);

        assertThat(gate.isHeldBy(waiting)).as("handed the turn by the release, not left to find it free").isTrue();
        parked.join();
        gate.release(waiting);
    }

    private static boolean isLooking(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("lookedForFreeTurn")) {
                return true;
            }
        }
        return false;
    }
}
