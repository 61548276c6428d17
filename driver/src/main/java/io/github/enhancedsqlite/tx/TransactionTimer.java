package io.github.enhancedsqlite.tx;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of one database (the sweeps of its {@link TransactionDeadlines} and its query timeouts), on one
 * daemon thread owned by the database's pool, which closes it, as HikariCP's pool owns its housekeeper. A JVM-wide
 * timer would outlive {@code EnhancedSqlite.shutdown()} and keep an application server from unloading the driver.
 *
 * <p>The thread starts with the first deadline and ends by itself once none has been pending for
 * {@value #IDLE_SECONDS} s, so a database that never times anything out has no thread, and neither does a private
 * in-memory database whose connections are all closed (no pool closes those). Cancelled deadlines are removed at
 * once, so a cancelled query timeout costs no memory. After {@link #close()}, scheduling starts a new thread: a
 * connection held across its pool's close still has its deadlines, and that thread too ends when idle.
 */
public final class TransactionTimer implements AutoCloseable, ThreadFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionTimer.class);
    private static final long IDLE_SECONDS = 10;
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final String threadName;
    private final Object lock = new Object();
    private ScheduledThreadPoolExecutor executor;
    /** The executor's thread (one at a time), joined on close: awaitTermination returns while it is still ending. */
    private volatile Thread thread;

    public TransactionTimer(String database) {
        this.threadName = "enhanced-sqlite-timeouts " + database;
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    private ScheduledThreadPoolExecutor executor() {
        synchronized (lock) {
            if (executor == null) {
                ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, this);
                timer.setRemoveOnCancelPolicy(true);
                timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
                timer.allowCoreThreadTimeOut(true);
                executor = timer;
            }
            return executor;
        }
    }

    /** The timer's thread, a daemon; the factory is this object itself, not a lambda (docs/ARCHITECTURE.md, "Start-up cost"). */
    @Override
    public Thread newThread(Runnable task) {
        Thread created = new Thread(task, threadName);
        created.setDaemon(true);
        thread = created;
        return created;
    }

    /** Cancels every pending deadline and waits for the thread to end. */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor stopping;
        synchronized (lock) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdownNow();
        try {
            Thread last = thread;
            if (!stopping.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("The timeout thread {} did not stop within {} ms", threadName, STOP_WAIT_MILLIS);
            } else if (last != null) {
                last.join(STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
