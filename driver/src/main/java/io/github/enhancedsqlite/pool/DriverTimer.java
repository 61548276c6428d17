package io.github.enhancedsqlite.pool;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread for the timed work of every pool of the JVM: each pool's idle check, its MXBean's late
 * registration, the first run of its maintenance. A JVM that touches hundreds of files (a test suite's temporary
 * files) used to start two threads per file for these (HikariCP's housekeeper and the maintenance thread), most of
 * them for pools that closed before any of it was due. Its tasks only decide and hand work on (to the pool's own
 * threads, or to a thread of their own when they may wait), so one pool's slow work never delays another's timer.
 * It starts with the first task and is stopped, its thread awaited, when the registry has no pool left, so after
 * {@code EnhancedSqlite.shutdown()} no thread of the driver remains.
 */
final class DriverTimer {

    private static final Logger LOG = LoggerFactory.getLogger(DriverTimer.class);
    private static final long STOP_WAIT_MILLIS = 10_000;
    static final String THREAD_NAME = "enhanced-sqlite-timer";

    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}: null while no pool is open. */
    private static ScheduledThreadPoolExecutor timer;
    /** Guarded by {@link #LOCK}: the timer's thread, awaited when it stops. */
    private static Thread thread;

    private DriverTimer() {
    }

    /** The timer, started if it is not running. */
    static ScheduledExecutorService get() {
        synchronized (LOCK) {
            if (timer == null) {
                ScheduledThreadPoolExecutor started = new ScheduledThreadPoolExecutor(1, task -> {
                    Thread made = new Thread(task, THREAD_NAME);
                    made.setDaemon(true);
                    synchronized (LOCK) {
                        thread = made;
                    }
                    return made;
                });
                started.setRemoveOnCancelPolicy(true); // a closed pool's tasks go at once, not when they were due
                timer = started;
            }
            return timer;
        }
    }

    /** Stops the timer and waits for its thread to end; called by the registry once no pool is open. */
    static void stop() {
        ScheduledThreadPoolExecutor stopped;
        Thread ended;
        synchronized (LOCK) {
            stopped = timer;
            ended = thread;
            timer = null;
            thread = null;
        }
        if (stopped == null) {
            return;
        }
        stopped.shutdownNow();
        awaitEnd(ended, "timer");
    }

    /** Waits for a stopped thread of the driver to end (not for the calling thread itself). */
    static void awaitEnd(Thread ended, String role) {
        if (ended == null || ended == Thread.currentThread()) {
            return;
        }
        try {
            ended.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (ended.isAlive()) {
            LOG.warn("The driver's {} thread did not end within {} ms of the last pool closing", role, STOP_WAIT_MILLIS);
        }
    }
}
