package io.github.enhancedsqlite.pool;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the threads HikariCP runs for one pool (its housekeeper, and the executors that open and close
 * connections) and remembers them, so closing the pool can wait until they have ended. HikariCP's close returns
 * once its executors are terminated, while their threads may still be on their way out; an application server that
 * unloads the driver right after {@code EnhancedSqlite.shutdown()} must find none of them.
 */
final class PoolThreads implements ThreadFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PoolThreads.class);
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final String name;
    private final Set<Thread> made = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    /**
     * HikariCP's housekeeper runs here rather than on an executor HikariCP makes with this factory, so its thread keeps
     * HikariCP's usual name, {@code <pool>:housekeeper}, by which tools and tests tell which pools run in a JVM. Made
     * when HikariCP starts: a pool that lends only its first connection has no housekeeping to do (its timed work is
     * on the {@link DriverTimer}). Guarded by this.
     */
    private ScheduledThreadPoolExecutor housekeeper;

    PoolThreads(String poolName) {
        this.name = poolName;
    }

    @Override
    public Thread newThread(Runnable task) {
        return track(task, name + ":connection-worker-" + count.incrementAndGet());
    }

    /** A single thread of this pool for one kind of background work, named {@code <pool>:<role>}. */
    ExecutorService single(String role) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new Named(this, name + ":" + role));
    }

    /** Runs a task once on a thread of this pool named {@code <pool>:<role>}, which closing the pool waits for. */
    void runOnce(String role, Runnable task) {
        track(task, name + ":" + role).start();
    }

    /** The scheduler for HikariCP's housekeeper (HikariCP does not stop a scheduler it was given: we do). */
    synchronized ScheduledExecutorService housekeeper() {
        if (housekeeper == null) {
            housekeeper = new ScheduledThreadPoolExecutor(1, new Named(this, name + ":housekeeper"));
            housekeeper.setRemoveOnCancelPolicy(true);
        }
        return housekeeper;
    }

    private Thread track(Runnable task, String threadName) {
        forgetEnded();
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /**
     * Stops the housekeeper's scheduler and waits for every thread made here to end; called after HikariCP's pool
     * has shut its own executors down.
     */
    void awaitEnded() {
        synchronized (this) {
            if (housekeeper != null) {
                housekeeper.shutdownNow();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Thread thread : made) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (left > 0) {
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.warn("Pool thread {} did not end within {} ms of its pool closing", thread.getName(), STOP_WAIT_MILLIS);
            }
        }
        forgetEnded();
    }

    private void forgetEnded() {
        for (Thread thread : made) {
            if (thread.getState() == Thread.State.TERMINATED) {
                made.remove(thread); // a concurrent set: removing while iterating is allowed
            }
        }
    }

    /**
     * Makes this pool's threads of one role. A named class rather than a lambda, as the driver's other start-up
     * callbacks (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Named implements ThreadFactory {
        private final PoolThreads threads;
        private final String threadName;

        Named(PoolThreads threads, String threadName) {
            this.threads = threads;
            this.threadName = threadName;
        }

        @Override
        public Thread newThread(Runnable task) {
            return threads.track(task, threadName);
        }
    }
}
