package io.github.enhancedsqlite.pool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes many sources at once. Closing a pool is mostly waiting (a checkpoint's fsync, HikariCP's threads ending),
 * so a JVM with dozens of pools open would spend seconds closing them one after the other, at exit too.
 */
final class ParallelClose {

    private static final Logger LOG = LoggerFactory.getLogger(ParallelClose.class);
    /** Enough to overlap the waits of a few dozen pools; more threads would only compete for the disk. */
    private static final int MAX_THREADS = 8;

    private ParallelClose() {
    }

    /**
     * Closes every source, on up to {@value #MAX_THREADS} threads, and waits until all are closed or the deadline
     * ({@link System#nanoTime()}) passed; true when all are closed. The threads are daemons: a JVM exit that stops
     * waiting at the deadline is not held up by them.
     */
    static boolean close(Collection<? extends ConnectionSource> sources, long deadlineNanos) {
        if (sources.size() <= 1) {
            for (ConnectionSource source : sources) {
                closeOne(source);
            }
            return true;
        }
        Queue<ConnectionSource> queue = new ConcurrentLinkedQueue<>(sources);
        List<Thread> closers = new ArrayList<>();
        for (int i = 0, n = Math.min(MAX_THREADS, sources.size()); i < n; i++) {
            Thread closer = new Thread(() -> {
                for (ConnectionSource source; (source = queue.poll()) != null; ) {
                    closeOne(source);
                }
            }, "enhanced-sqlite-close-" + (i + 1));
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        }
        boolean interrupted = false;
        try {
            for (Thread closer : closers) {
                while (closer.isAlive()) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedJoin(closer, left);
                    } catch (InterruptedException e) {
                        interrupted = true; // the pools must still close: waited for, the interrupt kept
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeOne(ConnectionSource source) {
        try {
            source.close();
        } catch (RuntimeException | Error e) {
            LOG.warn("Closing {} failed", source.config().location().poolKey(), e);
        }
    }
}
