package io.github.enhancedsqlite.maintenance;

import io.github.enhancedsqlite.config.MaintenanceSettings;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.WriterGate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background upkeep of one database file, on one daemon thread of its own (as HikariCP gives each pool its
 * housekeeper; it starts with the first run, one interval after the pool opened), every {@code maintenanceInterval}:
 * <ul>
 * <li>{@code PRAGMA wal_checkpoint(PASSIVE)}: copies what it can of the WAL back into the database file without
 * waiting for readers or writers and without holding anyone up, so the WAL stays short between SQLite's own
 * automatic checkpoints, and so checkpoints run on this thread rather than inside an application's COMMIT;</li>
 * <li>when that checkpoint finds {@code wal_autocheckpoint} pages or more in the WAL, starting the WAL over
 * ({@code wal_checkpoint(TRUNCATE)}, see {@link #restartWal}), which readers that never pause would otherwise
 * prevent for ever;</li>
 * <li>on a database with {@code auto_vacuum=INCREMENTAL} whose free pages exceed a tenth of the file, returning them
 * to the disk in steps of {@value IncrementalVacuum#STEP_PAGES} pages ({@code PRAGMA incremental_vacuum}), each
 * step one write transaction under the writer turn, so writers wait one short step at most;</li>
 * <li>{@code PRAGMA optimize} every {@value #OPTIMIZE_EVERY_RUNS}th run (hourly at the default 5 s interval;
 * counting runs rather than time ties it to the interval the user chose, and keeps it observable): it may
 * re-analyze tables and so write, so it runs in a transaction that takes its writer turn like any other writer.
 * Connections run none when they open (it made processes starting together wait on each other), so the first
 * comes that many runs after open; the pool runs one more at close, on databases of 1 MiB or more.</li>
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

    /** How long the restart waits in the writers' queue for its turn before it gives the round up. */
    private static final long RESTART_TURN_WAIT_MILLIS = 1_000;
    /**
     * How long a restart may hold this JVM's writers back while the readers of old snapshots end, at first; past it
     * the round is given up and the next checkpoint tries again with twice the budget, up to the maximum. Readers are
     * never held back. Reader transactions take longer on a loaded machine, so a fixed budget small enough for a quiet
     * one would never succeed there, and one large enough for a loaded one would stall writers for nothing.
     */
    private static final long RESTART_BUDGET_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RESTART_BUDGET_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(160);
    /** Between attempts: short enough to notice readers ending soon, long enough not to spin on the locks. */
    private static final long RESTART_RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** Steps per run at most, so one run never monopolizes the writer turn; the next run goes on. */
    private static final int VACUUM_STEPS_PER_RUN = 64;
    /** Free pages above this share of the file are returned (10%): below it they are soon reused by inserts. */
    private static final int FREE_SHARE_DIVISOR = 10;

    private final String database;
    /** The first run's task and the maintenance thread's factory. */
    private final Start start;
    /** The database's writer turn, held while the WAL starts over; null when nothing bounds the WAL. */
    private final WriterGate writers;
    /** WAL frames from which a checkpoint starts the WAL over; 0: never (see {@link MaintenanceSettings}). */
    private final int restartWalAtFrames;
    /** A pooled connection, or null when none is free right now. */
    private final SqlAction<Connection> borrowIfFree;
    private final DatabaseMetrics metrics;
    /** False when Litestream replicates the file: it takes every checkpoint, and one of ours would fight it. */
    private final boolean checkpoints;
    /** This database's own thread, made at the first run or the first checkpoint asked for, whichever comes first. */
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile Thread thread;
    /** The first run's start on the driver's timer, cancelled by close(). */
    private volatile ScheduledFuture<?> firstRun;
    /** Runs since the last optimize, skipped ones included; touched only by the maintenance thread. */
    private int runsSinceOptimize;
    /** What the previous checkpoint reported: WAL frames, and frames checkpointed of them. */
    private long lastWalFrames;
    private long lastCheckpointedFrames;
    /** The budget of the next restart; touched only by the maintenance thread. */
    private long restartBudgetNanos = RESTART_BUDGET_MIN_NANOS;
    /** A checkpoint asked for by {@link #checkpointSoon()} is queued and has not started yet. */
    private final AtomicBoolean checkpointQueued = new AtomicBoolean();

    private Maintenance(String database, MaintenanceSettings settings, WriterGate writers,
                        SqlAction<Connection> borrowIfFree, DatabaseMetrics metrics, boolean checkpoints) {
        this.database = database;
        this.writers = checkpoints && settings.boundsWal() ? writers : null;
        this.restartWalAtFrames = this.writers == null ? 0 : settings.restartWalAtFrames();
        this.borrowIfFree = borrowIfFree;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.start = new Start(this, settings.intervalMillis());
        this.scheduler = new ScheduledThreadPoolExecutor(1, start);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts the upkeep of a database file; the first run comes one interval from now.
     *
     * @param writers      the database's writer turn, held while the WAL starts over
     * @param borrowIfFree lends a pooled connection, or returns null when none is free
     * @param checkpoints  whether runs checkpoint (false: Litestream owns checkpoints; runs return free pages and optimize only)
     */
    public static Maintenance start(String database, MaintenanceSettings settings, WriterGate writers,
                                    SqlAction<Connection> borrowIfFree, DatabaseMetrics metrics, boolean checkpoints,
                                    ScheduledExecutorService timer) {
        Maintenance maintenance = new Maintenance(database, settings, writers, borrowIfFree, metrics, checkpoints);
        long interval = settings.intervalMillis();
        // the thread starts with the first run, one interval from now, not with the pool: a test suite's pool per file
        // closes before that, and a thread per file cost it more than the file's own statements
        maintenance.firstRun = timer.schedule(maintenance.start, interval, TimeUnit.MILLISECONDS);
        return maintenance;
    }

    /** On the driver's timer, one interval after the start: the runs begin on this database's own thread. */
    private void runEvery(long interval) {
        try {
            scheduler.scheduleWithFixedDelay(this::runOnce, 0, interval, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
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
            if (returnFreePages(connection) && checkpoints) {
                checkpoint(connection); // in WAL mode the file shrinks when the checkpoint copies the vacuum back
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
        if (restartWalAtFrames > 0 && lastWalFrames >= restartWalAtFrames) {
            restartWal(connection);
        }
    }

    /**
     * Starts the WAL over from its beginning and truncates it. SQLite can do that only once every frame is copied
     * into the database file and no reader still reads a snapshot inside the WAL; readers that never pause always
     * leave one (each began before the last commit), so the WAL grows by every write for as long as they run:
     * checkpoint starvation, which SQLite's automatic checkpoint, a PASSIVE one and journal_size_limit cannot end.
     *
     * <p>This JVM's writers are held back by taking their turn, so no frame is added meanwhile. A reader that begins
     * then reads the last commit, which no longer stops the copy; once the readers of older snapshots have ended (a
     * few reader transactions later) every frame is copied, and from then on SQLite lets new readers read the
     * database file alone, so they do not stop the restart either. So readers are never held back; only writers
     * wait, for the round's budget at most (10 ms, doubled after each round that ran out of it, up to 160 ms), and
     * a round that runs out of it (a long read transaction) is given up and tried again at the next checkpoint. The
     * checkpoint runs with busy_timeout 0, so it never waits inside SQLite: another process's reader or writer simply
     * makes the round give up.
     */
    private void restartWal(Connection connection) throws SQLException {
        // the physical connection, so the busy_timeout changed for the checkpoint does not count against the lease
        Connection sqlite = connection.unwrap(PhysicalConnection.class).sqlite();
        try (Statement statement = sqlite.createStatement()) {
            long busyTimeout;
            try (ResultSet result = statement.executeQuery("PRAGMA busy_timeout")) {
                busyTimeout = result.next() ? result.getLong(1) : 0;
            }
            statement.execute("PRAGMA busy_timeout = 0");
            try {
                boolean restarted = restartHoldingWriters(statement);
                if (restarted) {
                    lastWalFrames = 0;
                    lastCheckpointedFrames = 0;
                    restartBudgetNanos = RESTART_BUDGET_MIN_NANOS;
                } else {
                    LOG.debug("The WAL of {} could not start over within {} ms: a reader kept an old snapshot; the"
                            + " next checkpoint tries again", database, TimeUnit.NANOSECONDS.toMillis(restartBudgetNanos));
                    restartBudgetNanos = Math.min(RESTART_BUDGET_MAX_NANOS, restartBudgetNanos * 2);
                }
            } finally {
                statement.execute("PRAGMA busy_timeout = " + busyTimeout); // a number SQLite reported
            }
        }
    }

    /**
     * Takes the writer turn and restarts the WAL within the round's budget; false when the round is given up,
     * also when a transaction of the application keeps the turn longer than the restart waits for it.
     */
    private boolean restartHoldingWriters(Statement statement) throws SQLException {
        try {
            return writers.whileHolding("is starting the WAL over (a background checkpoint)", RESTART_TURN_WAIT_MILLIS,
                    () -> truncateWithin(statement, restartBudgetNanos));
        } catch (SQLTimeoutException e) {
            return false; // the application's writers come first; the next checkpoint tries again
        }
    }

    /** Runs TRUNCATE checkpoints until one completes or the budget is spent; true when the WAL started over. */
    private static boolean truncateWithin(Statement statement, long budgetNanos) throws SQLException {
        long deadline = System.nanoTime() + budgetNanos;
        while (true) {
            try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                if (result.next() && result.getInt(1) == 0) {
                    return true;
                }
            }
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(RESTART_RETRY_NANOS);
        }
    }

    /**
     * Returns free pages to the disk when they exceed a tenth of the file (below that, inserts soon reuse them), in
     * {@link IncrementalVacuum} steps, each its own write transaction under the writer turn, so writers interleave.
     * Only a database with {@code auto_vacuum=INCREMENTAL} can: the profile sets it on the databases the driver
     * creates, and migrate or compact switch an existing one.
     *
     * @return true when pages were returned
     */
    private static boolean returnFreePages(Connection connection) throws SQLException {
        boolean returned = false;
        for (int step = 0; step < VACUUM_STEPS_PER_RUN && IncrementalVacuum.hasPagesToReturn(connection)
                && IncrementalVacuum.freePages(connection) * FREE_SHARE_DIVISOR > IncrementalVacuum.pages(connection);
             step++) {
            IncrementalVacuum.step(connection);
            returned = true;
        }
        return returned;
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
        ScheduledFuture<?> pending = firstRun;
        if (pending != null) {
            pending.cancel(false);
        }
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

    /**
     * The first run's task on the driver's timer, and the factory of the thread the runs then go on: one small class
     * rather than lambdas (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Start implements Runnable, ThreadFactory {
        private final Maintenance maintenance;
        private final long intervalMillis;

        Start(Maintenance maintenance, long intervalMillis) {
            this.maintenance = maintenance;
            this.intervalMillis = intervalMillis;
        }

        /** One interval after the start: the runs begin on the database's own thread. */
        @Override
        public void run() {
            maintenance.runEvery(intervalMillis);
        }

        @Override
        public Thread newThread(Runnable runnable) {
            Thread created = new Thread(runnable, "enhanced-sqlite-maintenance " + maintenance.database);
            created.setDaemon(true);
            maintenance.thread = created;
            return created;
        }
    }
}
