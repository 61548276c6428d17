package io.github.enhancedsqlite.tx;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for every deadline the driver keeps: the sweeps of {@link TransactionDeadlines} and query
 * timeouts. Cancelled deadlines are removed at once, so a cancelled query timeout costs no memory.
 */
final class TransactionTimer {

    private static final ScheduledThreadPoolExecutor TIMER = create();

    private TransactionTimer() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "enhanced-sqlite-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return TIMER.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
}
