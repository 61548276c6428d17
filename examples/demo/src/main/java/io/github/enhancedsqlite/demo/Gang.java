package io.github.enhancedsqlite.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/** Runs one body on N platform threads that start together, as the app threads of a busy process do. */
final class Gang {

    private Gang() {
    }

    /** Returns once every thread has finished; a body's unexpected exception is rethrown here. */
    static void run(String name, int threads, IntConsumer body) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>(threads);
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.accept(index);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, name + "-" + i);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        // Release all at once so no thread gets a head start on an idle database.
        ready.await();
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException(name + ": a worker thread failed unexpectedly",
                    failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
