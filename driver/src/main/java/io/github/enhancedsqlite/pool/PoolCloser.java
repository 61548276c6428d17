package io.github.enhancedsqlite.pool;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that closes the pools the registry retires for idleness, one after the other. A JVM that touches
 * hundreds of files (a test suite's temporary files) retires a pool for nearly every file it opens; a thread started
 * and ended per retired pool cost each file more than the close itself. Its tasks never take the registry's lock:
 * an opener holding it may be waiting for a pool queued here. It starts with the first pool retired and is stopped,
 * its thread awaited, when the registry has no pool left, so after {@code EnhancedSqlite.shutdown()} no thread of
 * the driver remains.
 */
final class PoolCloser {

    static final String THREAD_NAME = "enhanced-sqlite-idle-close";

    private static final DriverThread<ThreadPoolExecutor> CLOSER = new DriverThread<>(THREAD_NAME,
            factory -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory),
            false);

    private PoolCloser() {
    }

    /** Runs the closing after those handed over before it, starting the thread if it is not running. */
    static void execute(Runnable closing) {
        CLOSER.get().execute(closing);
    }

    /**
     * Stops the thread once what was handed over ran, and waits for it to end; called by the registry when no pool is
     * open or closing.
     */
    static void stop() {
        CLOSER.stop();
    }
}
