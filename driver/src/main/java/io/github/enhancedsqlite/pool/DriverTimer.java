package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.metrics.StatementClock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One daemon thread for the timed work of every pool of the JVM: each pool's idle check, its MXBean's late
 * registration, the first run of its maintenance, the deadline of a statement's parse for compression. A JVM that touches hundreds of files (a test suite's temporary
 * files) used to start two threads per file for these (HikariCP's housekeeper and the maintenance thread), most of
 * them for pools that closed before any of it was due. Its tasks only decide and hand work on (to the pool's own
 * threads, or to a thread of their own when they may wait), so one pool's slow work never delays another's timer.
 * It starts with the first task and is stopped, its thread awaited, when the registry has no pool left, so after
 * {@code EnhancedSqlite.shutdown()} no thread of the driver remains. While it runs it also samples the clock for the
 * slow-statement log ({@link StatementClock}), so timing a statement reads a field instead of the clock.
 */
final class DriverTimer {

    static final String THREAD_NAME = "enhanced-sqlite-timer";

    private static final DriverThread<ScheduledThreadPoolExecutor> TIMER = new DriverThread<>(THREAD_NAME,
            new Start(), true);

    private DriverTimer() {
    }

    /** The timer as the compression's parse deadlines reach it (a named class: no lambda on the start-up path). */
    static final Supplier<ScheduledExecutorService> SUPPLIER = new Current();

    /** The timer, started if it is not running. */
    static ScheduledExecutorService get() {
        return TIMER.get();
    }

    private static final class Current implements Supplier<ScheduledExecutorService> {
        @Override
        public ScheduledExecutorService get() {
            return TIMER.get();
        }
    }

    /**
     * Starts the timer, and is its task that samples the clock: a named class rather than lambdas
     * (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Start implements Function<ThreadFactory, ScheduledThreadPoolExecutor>, Runnable {

        @Override
        public ScheduledThreadPoolExecutor apply(ThreadFactory factory) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, factory);
            timer.setRemoveOnCancelPolicy(true); // a closed pool's tasks go at once, not when they were due
            StatementClock.startSampling();
            timer.scheduleAtFixedRate(this, StatementClock.tickNanos(), StatementClock.tickNanos(),
                    TimeUnit.NANOSECONDS);
            return timer;
        }

        /** The clock's sample. */
        @Override
        public void run() {
            StatementClock.tick();
        }
    }

    /** Stops the timer and waits for its thread to end; called by the registry once no pool is open. */
    static void stop() {
        StatementClock.stopSampling(); // before its last sample can grow stale; a tick still running cannot undo it
        TIMER.stop();
    }
}
