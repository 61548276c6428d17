package io.github.enhancedsqlite.tx;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for every deadline the driver keeps: transaction timeouts and query timeouts. Cancelled
 * deadlines are removed at once, so a deadline per transaction costs no memory after it ends.
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
