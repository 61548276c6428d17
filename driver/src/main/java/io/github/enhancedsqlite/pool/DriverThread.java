package io.github.enhancedsqlite.pool;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread of the driver shared by every pool of the JVM, behind an executor: started with the first work
 * handed to it, and stopped, its thread awaited, when the registry has no pool left, so after
 * {@code EnhancedSqlite.shutdown()} no thread of the driver remains ({@link DriverTimer}, {@link PoolCloser}).
 */
final class DriverThread<E extends ThreadPoolExecutor> implements ThreadFactory {

    private static final Logger LOG = LoggerFactory.getLogger(DriverThread.class);
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final String name;
    private final Function<ThreadFactory, E> executorOf;
    /** Whether stopping drops the work not yet run (the timer's: every pool is gone) or lets it run first. */
    private final boolean dropWorkOnStop;
    /** Guarded by this: null while stopped. */
    private E executor;
    /** Guarded by this: the executor's thread, awaited when it stops. */
    private Thread thread;

    DriverThread(String name, Function<ThreadFactory, E> executorOf, boolean dropWorkOnStop) {
        this.name = name;
        this.executorOf = executorOf;
        this.dropWorkOnStop = dropWorkOnStop;
    }

    /** The executor, started if it is not running. */
    synchronized E get() {
        if (executor == null) {
            executor = executorOf.apply(this);
        }
        return executor;
    }

    /** The executor's thread: a daemon with the given name, remembered to be awaited at stop. */
    @Override
    public Thread newThread(Runnable task) {
        Thread made = new Thread(task, name);
        made.setDaemon(true);
        synchronized (this) {
            thread = made;
        }
        return made;
    }

    /** Stops the executor and waits for its thread to end (unless called on that thread). */
    void stop() {
        E stopped;
        Thread ended;
        synchronized (this) {
            stopped = executor;
            ended = thread;
            executor = null;
            thread = null;
        }
        if (stopped == null) {
            return;
        }
        if (dropWorkOnStop) {
            stopped.shutdownNow();
        } else {
            stopped.shutdown();
        }
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
            LOG.warn("The driver's thread {} did not end within {} ms of the last pool closing", name, STOP_WAIT_MILLIS);
        }
    }
}
