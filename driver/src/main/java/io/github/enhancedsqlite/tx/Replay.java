package io.github.enhancedsqlite.tx;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.SQLException;

/**
 * Runs a whole unit of work again when its transaction was rolled back with SQLState 40001 (the database was
 * busy), with exponential backoff and jitter. Any other failure ends the replay at once.
 */
public final class Replay {

    public static final int MAX_ATTEMPTS = 10;

    /**
     * Built when first needed, after a 40001: building it loads resilience4j's retry, some thirty classes and their
     * lambdas, which cost a fresh JVM's first transaction about as much again as the transaction itself.
     */
    private static final class Replaying {
        static final Retry RETRY = Retry.of("enhanced-sqlite transactions", RetryConfig.custom()
                .maxAttempts(MAX_ATTEMPTS)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(10, 2.0, 0.5, 2_000))
                .retryOnException(Replay::isRolledBackForRetry)
                .build());

        private Replaying() {
        }
    }

    private Replay() {
    }

    public static boolean isRolledBackForRetry(Throwable error) {
        return error instanceof SQLException && "40001".equals(((SQLException) error).getSQLState());
    }

    /** The first run goes straight through; the retry machinery is built only after a 40001, as in BusyRetry. */
    public static <T> T run(SqlAction<T> unit) throws SQLException {
        try {
            return unit.run();
        } catch (SQLException first) {
            if (!isRolledBackForRetry(first)) {
                throw first;
            }
            return runAgain(unit, first);
        }
    }

    private static <T> T runAgain(SqlAction<T> unit, SQLException first) throws SQLException {
        Retry.Context<T> context = Replaying.RETRY.context();
        SQLException last = first;
        while (true) {
            try {
                context.onError(last); // waits the backoff, or rethrows: not 40001, or attempts used up
            } catch (SQLException | RuntimeException rethrown) {
                throw rethrown;
            } catch (Exception unexpected) {
                throw new SQLException(unexpected);
            }
            try {
                T result = unit.run();
                context.onComplete();
                return result;
            } catch (SQLException e) {
                last = e;
            }
        }
    }
}
