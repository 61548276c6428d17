package io.github.enhancedsqlite.tx;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transaction timeouts of every open transaction of one database, checked by one sweep on its
 * {@link TransactionTimer}'s thread; the database's pool owns both and closes them with it.
 *
 * <p>Scheduling a timer task per transaction and cancelling it at commit made the new task the head of the timer's
 * queue almost every time, which wakes the timer thread: two context switches per transaction, a fifth of the
 * cost of a short write transaction on a small machine. Here a transaction only joins a set; one sweep is
 * scheduled for the earliest deadline that may be due, and it schedules the next from what is still open. With
 * transactions shorter than the timeout the timer thread wakes about once per timeout, not once per transaction.
 */
public final class TransactionDeadlines implements AutoCloseable {

    /** How soon an expired transaction whose connection was busy with a call of its own is looked at again. */
    private static final long BUSY_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private final Set<TransactionControl> open = ConcurrentHashMap.newKeySet();
    /** When the next sweep is scheduled to run; {@link Long#MAX_VALUE} when none is. */
    private final AtomicLong nextSweep = new AtomicLong(Long.MAX_VALUE);
    private final TransactionTimer timer;
    private final Runnable sweep = new Sweep(this);

    public TransactionDeadlines(TransactionTimer timer) {
        this.timer = timer;
    }

    /** The timer query timeouts of this database run on. */
    TransactionTimer timer() {
        return timer;
    }

    /** Watches a transaction that has just begun; its deadline must already be readable. */
    void watch(TransactionControl transaction, long deadlineNanos) {
        open.add(transaction); // before the look at nextSweep: a sweep that resets it after this sees the entry
        sweepNoLaterThan(deadlineNanos);
    }

    /** Stops watching a transaction that ended. */
    void forget(TransactionControl transaction) {
        open.remove(transaction);
    }

    private void sweepNoLaterThan(long deadlineNanos) {
        for (long scheduled; (scheduled = nextSweep.get()) > deadlineNanos; ) {
            if (nextSweep.compareAndSet(scheduled, deadlineNanos)) {
                long delay = Math.max(0, deadlineNanos - System.nanoTime());
                timer.schedule(sweep, TimeUnit.NANOSECONDS.toMillis(delay) + 1);
                return;
            }
        }
    }

    private void sweep() {
        // Reset first: a transaction that joins while this sweep runs either is seen below or schedules its own.
        nextSweep.set(Long.MAX_VALUE);
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (TransactionControl transaction : open) {
            long deadline = transaction.deadlineNanos();
            if (deadline == Long.MAX_VALUE) {
                continue; // ended between its forget and this look, or not yet begun
            }
            if (deadline - now <= 0) {
                if (!transaction.expire(deadline)) {
                    earliest = Math.min(earliest, now + BUSY_RECHECK_NANOS); // busy with a call of its own: look again soon
                }
            } else {
                earliest = Math.min(earliest, deadline);
            }
        }
        if (earliest != Long.MAX_VALUE) {
            sweepNoLaterThan(earliest);
        }
    }

    /**
     * Stops the sweeps with the timer. Called when the pool closes, after its connections: their transactions
     * ended with them.
     */
    @Override
    public void close() {
        open.clear();
        timer.close();
        nextSweep.set(Long.MAX_VALUE);
    }

    /** The sweep as the timer runs it: a named class, not a method reference (docs/ARCHITECTURE.md, "Start-up cost"). */
    private static final class Sweep implements Runnable {
        private final TransactionDeadlines deadlines;

        Sweep(TransactionDeadlines deadlines) {
            this.deadlines = deadlines;
        }

        @Override
        public void run() {
            deadlines.sweep();
        }
    }
}
