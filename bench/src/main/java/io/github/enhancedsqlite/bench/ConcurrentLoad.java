package io.github.enhancedsqlite.bench;

import java.sql.SQLException;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * Runs one unit of work from many threads at once against one DataSource, either until a deadline or a fixed
 * number of times per thread. Each thread picks counters from its own seeded random sequence, so both sides of a
 * comparison do the same work, and keeps its own latency log and error counts, merged only at the end.
 */
final class ConcurrentLoad {

    private ConcurrentLoad() {
    }

    /** Every thread repeats {@code work} until {@code durationNanos} after the common start. */
    static LoadResult forDuration(DataSource dataSource, CounterWork work, int threads, long durationNanos, long seed)
            throws InterruptedException {
        return run(dataSource, work, threads, durationNanos, Integer.MAX_VALUE, seed);
    }

    /** Every thread runs {@code work} exactly {@code unitsPerThread} times, however long that takes. */
    static LoadResult forCount(DataSource dataSource, CounterWork work, int threads, int unitsPerThread, long seed)
            throws InterruptedException {
        return run(dataSource, work, threads, Long.MAX_VALUE, unitsPerThread, seed);
    }

    private static LoadResult run(DataSource dataSource, CounterWork work, int threads, long durationNanos,
                                  int unitsPerThread, long seed) throws InterruptedException {
        Worker[] workers = new Worker[threads];
        return LoadThreads.run("writer", threads,
                t -> workers[t] = new Worker(dataSource, work, new SplittableRandom(seed * 1_000 + t), unitsPerThread),
                t -> start -> workers[t].loop(durationNanos != Long.MAX_VALUE, start + durationNanos));
    }

    /** One thread's loop and its private tallies. */
    private static final class Worker extends LoadThreads.Tally {

        private final DataSource dataSource;
        private final CounterWork work;
        private final SplittableRandom random;
        private final int units;

        Worker(DataSource dataSource, CounterWork work, SplittableRandom random, int units) {
            this.dataSource = dataSource;
            this.work = work;
            this.random = random;
            this.units = units;
        }

        void loop(boolean timed, long deadline) {
            for (int i = 0; i < units; i++) {
                long begun = System.nanoTime();
                if (timed && begun - deadline >= 0) {
                    return;
                }
                int id = 1 + random.nextInt(Counters.ROWS);
                try {
                    attempts += work.run(dataSource, id);
                    latencies.record(begun, System.nanoTime() - begun);
                    successes++;
                } catch (SQLException e) {
                    attempts++;
                    errors.record(e);
                } catch (RuntimeException | Error e) {
                    fatal = e; // a bug in the benchmark or a wrong answer: stop rather than time it
                    return;
                }
            }
        }
    }
}
