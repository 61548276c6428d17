package io.github.enhancedsqlite.maintenance;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.tx.SqlAction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background upkeep of one database file, on one daemon thread of its own (as HikariCP gives each pool its
 * housekeeper), every {@code maintenanceInterval}:
 * <ul>
 * <li>{@code PRAGMA wal_checkpoint(PASSIVE)}: copies what it can of the WAL back into the database file without
 * waiting for readers or writers and without holding anyone up, so the WAL stays short between SQLite's own
 * automatic checkpoints, and so checkpoints run on this thread rather than inside an application's COMMIT;</li>
 * <li>{@code PRAGMA optimize} every {@value #OPTIMIZE_EVERY_RUNS}th run (hourly at the default 5 s interval;
 * counting runs rather than time ties it to the interval the user chose, and keeps it observable): it may
 * re-analyze tables and so write, so it runs in a transaction that takes its writer turn like any other writer.
 * Each connection already runs a bounded optimize when it opens, so the first comes that many runs after open.</li>
 * </ul>
 * It borrows a pooled connection only when one is free (it never makes the application wait for a connection)
 * and skips a run otherwise. When Litestream replicates the file it runs no checkpoint at all (Litestream owns
 * them) and only optimizes. A failure is logged and the next run tries again: nothing escapes the task, which
 * would end the schedule. {@link #close()} stops it and waits for its thread to end.
 */
public final class Maintenance implements AutoCloseable {

    public static final int OPTIMIZE_EVERY_RUNS = 720;
    private static final long STOP_WAIT_MILLIS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final String database;
    /** A pooled connection, or null when none is free right now. */
    private final SqlAction<Connection> borrowIfFree;
    private final DatabaseMetrics metrics;
    /** False when Litestream replicates the file: it takes every checkpoint, and one of ours would fight it. */
    private final boolean checkpoints;
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile Thread thread;
    /** Runs since the last optimize, skipped ones included; touched only by the maintenance thread. */
    private int runsSinceOptimize;
    /** What the previous checkpoint reported: WAL frames, and frames checkpointed of them. */
    private long lastWalFrames;
    private long lastCheckpointedFrames;
    /** A checkpoint asked for by {@link #checkpointSoon()} is queued and has not started yet. */
    private final AtomicBoolean checkpointQueued = new AtomicBoolean();

    private Maintenance(String database, SqlAction<Connection> borrowIfFree, DatabaseMetrics metrics,
                        boolean checkpoints) {
        this.database = database;
        this.borrowIfFree = borrowIfFree;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread created = new Thread(runnable, "enhanced-sqlite-maintenance " + database);
            created.setDaemon(true);
            thread = created;
            return created;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts the upkeep of a database file; the first run comes one interval from now.
     *
     * @param borrowIfFree lends a pooled connection, or returns null when none is free
     * @param checkpoints  whether runs checkpoint (false: Litestream owns checkpoints; runs only optimize)
     */
    public static Maintenance start(String database, long intervalMillis, SqlAction<Connection> borrowIfFree,
                                    DatabaseMetrics metrics, boolean checkpoints) {
        Maintenance maintenance = new Maintenance(database, borrowIfFree, metrics, checkpoints);
        maintenance.scheduler.scheduleWithFixedDelay(maintenance::runOnce, intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS);
        return maintenance;
    }

    /**
     * Queues a PASSIVE checkpoint now, unless one is already queued. Called after every few hundred writes: SQLite's
     * own automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint, while that writer holds the
     * writer turn, and its fsync of a WAL with a thousand unsynced pages stalled every writer for about 15 ms on a
     * virtual disk. Checkpointing here first leaves it little to copy and almost nothing to sync.
     */
    public void checkpointSoon() {
        if (!checkpoints || !checkpointQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(this::checkpointNow);
        } catch (RejectedExecutionException e) {
            checkpointQueued.set(false); // closing
        }
    }

    private void checkpointNow() {
        checkpointQueued.set(false);
        try (Connection connection = borrowIfFree.run()) {
            if (connection != null) {
                checkpoint(connection);
            }
        } catch (SQLException | RuntimeException e) {
            if (!scheduler.isShutdown()) {
                LOG.debug("Checkpoint of {} failed; the next one tries again: {}", database, e.getMessage());
            }
        }
    }

    private void runOnce() {
        runsSinceOptimize++;
        try (Connection connection = borrowIfFree.run()) {
            if (connection == null) {
                return; // the application is using every connection: its need comes first
            }
            if (checkpoints) {
                checkpoint(connection);
            }
            if (runsSinceOptimize >= OPTIMIZE_EVERY_RUNS) {
                runsSinceOptimize = 0;
                optimize(connection);
            }
        } catch (SQLException | RuntimeException e) {
            if (!scheduler.isShutdown()) {
                LOG.warn("Background maintenance of {} failed; it runs again next interval: {}", database,
                        e.getMessage());
            }
        }
    }

    /**
     * A PASSIVE checkpoint reports the WAL's size and how much of it is now in the database file, counted since the
     * WAL last started over; the pages this run copied are the growth of that count.
     */
    private void checkpoint(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (!result.next()) {
                return;
            }
            boolean blocked = result.getInt(1) != 0;
            long walFrames = result.getLong(2);
            long checkpointed = result.getLong(3);
            if (blocked || walFrames < 0) {
                return; // another checkpoint was running, or the database is not in WAL mode
            }
            boolean walRestarted = walFrames < lastWalFrames || checkpointed < lastCheckpointedFrames;
            long pages = walRestarted ? checkpointed : checkpointed - lastCheckpointedFrames;
            lastWalFrames = walFrames;
            lastCheckpointedFrames = checkpointed;
            metrics.checkpointed(pages);
        }
    }

    private void optimize(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA optimize");
            connection.commit();
            metrics.optimized();
        }
    }

    /** Stops the schedule, interrupting a run in progress, and waits for the thread to end. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Background maintenance of {} did not stop within {} ms", database, STOP_WAIT_MILLIS);
                return;
            }
            Thread ended = thread;
            if (ended != null) {
                ended.join(STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
