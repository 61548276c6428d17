package io.github.enhancedsqlite.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * Threads running a mix of transactions for a fixed time, the way issue 17's clients run them: either each thread holds
 * one connection for the whole stretch with auto-commit off (YCSB's terminals), or each unit borrows a connection
 * and gives it back (a Spring {@code @Transactional} method over a pool). A transaction rolled back with SQLState
 * 40001 is run again, as BenchBase and Spring's retry templates do (counted in the attempts, not as an error); anything
 * else is an error the application saw. Latency is from a unit's first attempt to its commit.
 */
final class MixLoad {

    /** One unit of work; {@code unit} picks what it does, {@code thread} keeps inserted keys apart. */
    interface Unit {
        void run(Connection connection, SplittableRandom random, int thread, long sequence) throws SQLException;
    }

    /** Picks the unit of the next transaction. */
    interface Mix {
        Unit next(SplittableRandom random);
    }

    /** Runs started in this JVM; each inserts its keys in a band of its own. */
    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    private MixLoad() {
    }

    /** Runs {@code threads} threads for {@code durationNanos}; {@code holdConnection}: one connection per thread. */
    static LoadResult run(DataSource dataSource, Mix mix, boolean holdConnection, int threads, long durationNanos,
                          long seed) throws InterruptedException {
        RUNS.incrementAndGet();
        Worker[] workers = new Worker[threads];
        return LoadThreads.run("terminal", threads,
                t -> workers[t] = new Worker(dataSource, mix, holdConnection, new SplittableRandom(seed * 1_000 + t), t),
                t -> start -> workers[t].loop(start + durationNanos));
    }

    private static final class Worker extends LoadThreads.Tally {

        /** Keys inserted by one thread live in their own range, above the loaded rows. */
        private static final long KEYS_PER_THREAD = 100_000_000L;
        /** Bands a thread's range is cut into, one per run, so that runs on one database do not collide. */
        private static final long RUN_BANDS = 100;

        private final DataSource dataSource;
        private final Mix mix;
        private final boolean holdConnection;
        private final SplittableRandom random;
        private final int thread;
        long sequence;

        Worker(DataSource dataSource, Mix mix, boolean holdConnection, SplittableRandom random, int thread) {
            this.dataSource = dataSource;
            this.mix = mix;
            this.holdConnection = holdConnection;
            this.random = random;
            this.thread = thread;
            // each run its own band of a thread's range: runs on one database never insert the same key
            this.sequence = (thread + 1) * KEYS_PER_THREAD + RUNS.get() % RUN_BANDS * (KEYS_PER_THREAD / RUN_BANDS);
        }

        void loop(long deadline) {
            try (Connection held = holdConnection ? dataSource.getConnection() : null) {
                if (held != null) {
                    held.setAutoCommit(false);
                }
                while (System.nanoTime() - deadline < 0) {
                    Unit unit = mix.next(random);
                    long begun = System.nanoTime();
                    long seed = random.nextLong();
                    if (runUntilDone(held, unit, seed)) {
                        latencies.record(begun, System.nanoTime() - begun);
                        successes++;
                    }
                }
            } catch (SQLException e) {
                fatal = e;
            } catch (RuntimeException | Error e) {
                fatal = e;
            }
        }

        /** Runs the unit, again after a 40001; false when it failed otherwise. */
        private boolean runUntilDone(Connection held, Unit unit, long seed) throws SQLException {
            while (true) {
                attempts++;
                sequence++;
                try (Connection borrowed = held == null ? dataSource.getConnection() : null) {
                    Connection connection = held != null ? held : borrowed;
                    if (borrowed != null) {
                        borrowed.setAutoCommit(false);
                    }
                    try {
                        unit.run(connection, new SplittableRandom(seed), thread, sequence);
                        connection.commit();
                        return true;
                    } catch (SQLException e) {
                        rollbackQuietly(connection, e);
                        if (!"40001".equals(e.getSQLState())) {
                            errors.record(e);
                            return false;
                        }
                    }
                }
            }
        }

        private static void rollbackQuietly(Connection connection, SQLException cause) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
