package io.github.enhancedsqlite.tx;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a call again, with exponential backoff and jitter (resilience4j), while SQLite reports the database
 * busy or locked. Used only where running again is safe: an auto-commit statement (a busy statement changed
 * nothing), BEGIN and COMMIT. The first try goes straight through; the retry machinery is built only after a
 * busy error, so calls that succeed at once allocate nothing for it.
 */
public final class BusyRetry {

    /** No single wait grows past this, however many attempts: a waiting writer stays responsive. */
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    private final String database;
    private final long initialBackoffMillis;
    /** Built at the first busy error: a process that never meets one never loads resilience4j. Null until then. */
    private volatile Retry retry;
    private final int maxAttempts;
    private final long maxWaitMillis;
    private final DatabaseMetrics metrics;

    public BusyRetry(String database, int maxAttempts, long initialBackoffMillis, long maxWaitMillis,
                     DatabaseMetrics metrics) {
        this.database = database;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.maxWaitMillis = maxWaitMillis;
        this.initialBackoffMillis = initialBackoffMillis;
    }

    private Retry retry() {
        Retry built = retry;
        if (built == null) {
            synchronized (this) {
                built = retry;
                if (built == null) {
                    RetryConfig config = RetryConfig.custom()
                            .maxAttempts(maxAttempts)
                            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                    Math.max(1, initialBackoffMillis), 2.0, 0.5, MAX_BACKOFF_MILLIS))
                            .retryOnException(SqliteErrors::isBusyOrLocked)
                            .build();
                    built = Retry.of("enhanced-sqlite " + database, config);
                    retry = built;
                }
            }
        }
        return built;
    }

    public <T> T call(SqlAction<T> action) throws SQLException {
        return call(action, null);
    }

    /**
     * @param observer told while the call waits out a busy database, so that a writer timing out behind this one can
     *                 be told what the holder of the turn is doing; null when nobody asks
     */
    <T> T call(SqlAction<T> action, Observer observer) throws SQLException {
        try {
            return action.run();
        } catch (SQLException first) {
            if (!SqliteErrors.isBusyOrLocked(first)) {
                throw first;
            }
            try {
                return callAgain(action, first, observer);
            } finally {
                if (observer != null) {
                    observer.busyWaitOver();
                }
            }
        }
    }

    private <T> T callAgain(SqlAction<T> action, SQLException first, Observer observer) throws SQLException {
        long started = System.nanoTime();
        Retry.Context<T> context = retry().context();
        SQLException last = first;
        int attempts = 1;
        while (true) {
            if (elapsedMillis(started) >= maxWaitMillis) {
                throw exhausted(last, attempts, started);
            }
            if (observer != null) {
                observer.busyWaiting(started, attempts, last);
            }
            try {
                context.onError(last); // sleeps the backoff, or throws once the attempts are used up
            } catch (Exception noMoreAttempts) {
                throw exhausted(last, attempts, started);
            }
            if (observer != null && observer.stoppedBy() != null) {
                throw stopped(last, observer.stoppedBy());
            }
            attempts++;
            metrics.busyRetried();
            try {
                T result = action.run();
                context.onComplete();
                return result;
            } catch (SQLException e) {
                if (!SqliteErrors.isBusyOrLocked(e)) {
                    throw e;
                }
                last = e;
            }
        }
    }

    /** Hears that a call is waiting out a busy database, and that it stopped waiting; can end the wait. */
    interface Observer {
        void busyWaiting(long sinceNanos, int attempts, SQLException last);

        void busyWaitOver();

        /**
         * Why the call must not run again (its connection was closed by another thread, or aborted), or null. Asked
         * after each backoff, so such a close waits at most one backoff ({@link #MAX_BACKOFF_MILLIS} and its jitter).
         */
        String stoppedBy();
    }

    private SQLException stopped(SQLException last, String stoppedBy) {
        return new SQLNonTransientConnectionException("This statement was retrying against a lock another connection"
                + " or process holds on " + database + " (" + last.getMessage() + ") when its connection was "
                + stoppedBy + "; it did not run again, nothing was applied.", "08003", last);
    }

    private SQLException exhausted(SQLException last, int attempts, long started) {
        return new SQLTransientException("Database " + database + " stayed busy through " + attempts + " attempts over "
                + elapsedMillis(started) + " ms of retrying (busyRetryAttempts=" + maxAttempts + ", busyRetryMaxWait="
                + maxWaitMillis + " ms): " + last.getMessage() + ". Another process is holding its write lock;"
                + " nothing was applied.", "HYT00", last.getErrorCode(), last);
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
