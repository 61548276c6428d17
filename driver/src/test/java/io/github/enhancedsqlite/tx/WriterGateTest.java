package io.github.enhancedsqlite.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    private static boolean isLooking(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("lookedForFreeTurn")) {
                return true;
            }
        }
        return false;
    }
}
