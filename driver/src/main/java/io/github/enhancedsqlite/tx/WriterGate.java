package io.github.enhancedsqlite.tx;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one writer turn of one database inside this JVM. SQLite lets one connection write at a time; waiting
 * for that here, in a fair queue, replaces SQLite's busy handler, which sleeps and polls and lets late comers
 * overtake. Readers never pass through the gate.
 */
public final class WriterGate {

    private final String database;
    private final DatabaseMetrics metrics;
    private static final long BARGE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Semaphore turn = new Semaphore(1, true);
    /** When each parked writer began to wait, oldest first. */
    private final ConcurrentLinkedDeque<Long> waitingSince = new ConcurrentLinkedDeque<>();
    /** The holder and the thread that took the turn; written only by the holder. */
    private volatile Object holder;
    private volatile Thread holderThread;

    public WriterGate(String database, DatabaseMetrics metrics) {
        this.database = database;
        this.metrics = metrics;
    }

    /**
     * Waits for the writer turn.
     *
     * @param owner identifies the connection taking the turn
     * @throws SQLException at once when this thread already holds the turn through another connection (it would
     *                      wait for itself), or after {@code timeoutMillis} of waiting
     */
    void acquire(Object owner, long timeoutMillis) throws SQLException {
        Thread current = Thread.currentThread();
        if (holderThread == current && holder != owner) {
            throw new SQLException("This thread already holds the write transaction of " + database
                    + " on another connection, so this connection's write would wait for it forever. Commit or"
                    + " roll back the first transaction before writing through a second connection (for example"
                    + " two EntityManagers or DataSource connections open in one thread).", "25001");
        }
        long started = System.nanoTime();
        if (mayBarge(started) && turn.tryAcquire()) {
            holder = owner;
            holderThread = current;
            return;
        }
        boolean acquired;
        Long waitStart = started;
        waitingSince.addLast(waitStart);
        try {
            acquired = turn.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the writer turn of " + database, "HY008", e);
        } finally {
            waitingSince.removeFirstOccurrence(waitStart);
        }
        if (!acquired) {
            Thread blocking = holderThread;
            throw new SQLTimeoutException("Waited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                    + " ms for the writer turn of " + database + " (writerTimeout=" + timeoutMillis + " ms); it is held"
                    + (blocking == null ? "" : " by thread '" + blocking.getName() + "'")
                    + ". A transaction is staying open too long; commit sooner or raise writerTimeout.", "HYT00");
        }
        holder = owner;
        holderThread = current;
        metrics.writerWaited(System.nanoTime() - started);
    }

    /**
     * A writer that finds the turn free may take it ahead of those parked for it only while the longest of them has
     * waited less than {@link #BARGE_WINDOW_NANOS}. Handing the turn to a parked thread means waking it, which on a
     * small machine costs more than the write; letting a running writer go first keeps throughput, and the window
     * keeps the order first-come-first-served for anyone who has really been waiting.
     */
    private boolean mayBarge(long now) {
        Long oldest = waitingSince.peekFirst();
        return oldest == null || now - oldest < BARGE_WINDOW_NANOS;
    }

    /** Gives the turn back if {@code owner} holds it; otherwise does nothing. */
    void release(Object owner) {
        if (holder == owner) {
            holder = null;
            holderThread = null;
            turn.release();
        }
    }
}
