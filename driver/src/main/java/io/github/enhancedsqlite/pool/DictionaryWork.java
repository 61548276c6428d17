package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import io.github.enhancedsqlite.tx.SqlAction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a database's zstd dictionaries in the background, on a thread of the pool's own ({@link PoolThreads}),
 * when a commit finds that a column asks for one: the writer that committed never waits for the training, and the
 * dictionary is trained from what is committed, whichever way it was written. It borrows a pooled connection only
 * when one is free; otherwise the next commit asks again.
 */
final class DictionaryWork implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DictionaryWork.class);
    /** How long closing waits for training that was asked for to finish. */
    private static final long FINISH_WAIT_SECONDS = 60;

    private final String database;
    private final Compression compression;
    private final SqlAction<Connection> borrowIfFree;
    private final ExecutorService executor;
    /** A run is queued and has not started: asking again adds nothing. */
    private final AtomicBoolean queued = new AtomicBoolean();

    DictionaryWork(String database, Compression compression, SqlAction<Connection> borrowIfFree,
                   ExecutorService executor) {
        this.database = database;
        this.compression = compression;
        this.borrowIfFree = borrowIfFree;
        this.executor = executor;
        compression.onDictionaryWanted(new Wanted(this));
    }

    /** Queues a run unless one is queued already; called on the committing thread, so it only hands over. */
    private void soon() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            queued.set(false); // closing
        }
    }

    /** A run on the pool's dictionaries thread. */
    @Override
    public void run() {
        queued.set(false);
        try (Connection lease = borrowIfFree.run()) {
            if (lease == null) {
                return; // every connection is in use; the column asks again at the next commit
            }
            lease.unwrap(PhysicalConnection.class).trainDictionaries(lease);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Training the zstd dictionaries of {} failed; a later commit asks again: {}", database,
                    e.getMessage());
        }
    }

    /**
     * Stops taking work. With {@code finish}, training already asked for runs to its end first, so a process that
     * imports its data and closes the pool still leaves the file with its dictionary; without, it is dropped (the
     * file was replaced: nothing may be written to it any more).
     */
    void close(boolean finish) {
        if (finish) {
            // a run that found every connection lent out left its column asking: now they are back
            compression.writesCommitted();
        }
        compression.onDictionaryWanted(null);
        if (finish) {
            executor.shutdown();
        } else {
            executor.shutdownNow();
        }
        try {
            if (!executor.awaitTermination(FINISH_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Training the zstd dictionaries of {} did not end within {} s of closing", database,
                        FINISH_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Compression's call when a column wants a dictionary: a named class, not a lambda (docs/ARCHITECTURE.md,
     * "Start-up cost").
     */
    private static final class Wanted implements Runnable {
        private final DictionaryWork work;

        Wanted(DictionaryWork work) {
            this.work = work;
        }

        @Override
        public void run() {
            work.soon();
        }
    }
}
