package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * Load threads that start together on one signal, each keeping its own tallies, merged into one {@link LoadResult}
 * once all have ended: the shape of every concurrent load in the benchmark.
 */
final class LoadThreads {

    /** One thread's private tallies; not thread-safe, read only after the thread ended. */
    static class Tally {
        final ErrorCounts errors = new ErrorCounts();
        final Latencies.Log latencies = new Latencies.Log();
        long successes;
        long attempts;
        /** A failure the benchmark does not expect (a bug, a wrong answer): the load stops rather than time it. */
        Throwable fatal;
    }

    private LoadThreads() {
    }

    /**
     * Starts {@code threads} threads named {@code name-<i>}; each runs {@code body.apply(i)} with the common start
     * time once all are ready, and its tally is merged after all have ended.
     */
    static LoadResult run(String name, int threads, IntFunction<? extends Tally> tallies,
                          IntFunction<LongConsumer> body) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1];
        List<Tally> all = new ArrayList<>();
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            all.add(tallies.apply(t));
            LongConsumer work = body.apply(t);
            running[t] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                work.accept(start[0]);
            }, name + "-" + t);
            running[t].start();
        }
        ready.await();
        start[0] = System.nanoTime(); // written before countDown, so every thread reads it after await
        go.countDown();
        for (Thread thread : running) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start[0];
        long successes = 0;
        long attempts = 0;
        ErrorCounts errors = new ErrorCounts();
        List<Latencies.Log> logs = new ArrayList<>();
        for (Tally tally : all) {
            if (tally.fatal != null) {
                throw new IllegalStateException("a load thread failed in a way the benchmark does not expect",
                        tally.fatal);
            }
            successes += tally.successes;
            attempts += tally.attempts;
            errors.addAll(tally.errors);
            logs.add(tally.latencies);
        }
        return new LoadResult(successes, attempts, errors, logs, elapsed);
    }
}
