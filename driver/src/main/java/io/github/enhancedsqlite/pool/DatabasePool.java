package io.github.enhancedsqlite.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import io.github.enhancedsqlite.jdbc.ConnectionEvictor;
import io.github.enhancedsqlite.jdbc.ConnectionWrapper;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import io.github.enhancedsqlite.maintenance.Maintenance;
import io.github.enhancedsqlite.metrics.MetricsRegistration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HikariCP pool of one database. Closing it leaves the file as a plain SQLite tool expects it:
 * optimized, its WAL checkpointed into the main file, and no -wal or -shm file behind.
 */
final class DatabasePool implements ConnectionSource, ConnectionEvictor {

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePool.class);

    private final DatabaseConfig config;
    private final PhysicalConnectionFactory factory;
    private final HikariDataSource hikari;
    /** HikariCP's threads for this pool, waited for when it closes. */
    private final PoolThreads threads;
    /** Holds a shared in-memory database alive while the pool lives; null for files. */
    private final Connection keepAlive;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final MetricsRegistration metrics;
    /** Null for in-memory and read-only databases and when maintenanceInterval is 0. */
    private final Maintenance maintenance;
    /** Null for read-only databases and with compress=off. */
    private final DictionaryWork dictionaryWork;
    /** A reader can neither checkpoint nor optimize, so it gets no maintenance and no final checkpoint. */
    private final boolean readOnly;

    DatabasePool(DatabaseConfig config) throws SQLException {
        this.config = config;
        this.factory = new PhysicalConnectionFactory(config);
        this.readOnly = ReadOnlyDatabase.isReadOnly(config);
        this.threads = new PoolThreads("enhanced-sqlite " + poolName(config.location()));
        try {
            this.keepAlive = config.location().kind() == DatabaseLocation.Kind.SHARED_MEMORY ? factory.getConnection()
                    : null;
        } catch (SQLException | RuntimeException e) {
            factory.close();
            throw e;
        }
        try {
            this.hikari = new HikariDataSource(hikariConfig(config, factory, threads));
        } catch (HikariPool.PoolInitializationException e) {
            closeQuietly(keepAlive);
            threads.awaitEnded();
            factory.close();
            throw e.getCause() instanceof SQLException ? (SQLException) e.getCause()
                    : new SQLException("Could not open " + config.location().poolKey() + ": " + e.getMessage(), e);
        }
        factory.metrics().attachPool(hikari.getHikariPoolMXBean());
        this.metrics = MetricsRegistration.publish(factory.metrics());
        long interval = config.settings().maintenance().intervalMillis();
        this.maintenance = interval > 0 && config.location().kind() == DatabaseLocation.Kind.FILE && !readOnly
                ? Maintenance.start(config.location().poolKey(), config.settings().maintenance(), factory.writerGate(),
                        this::connectIfFree, factory.metrics(), config.settings().replication().driverCheckpoints())
                : null;
        Compression compression = factory.compression();
        this.dictionaryWork = !readOnly && compression != null && compression.mode() != Compression.Mode.OFF
                ? new DictionaryWork(config.location().poolKey(), compression, this::leaseIfFree,
                        threads.single("dictionaries"))
                : null;
        int checkpointEvery = config.settings().maintenance().checkpointEveryWriterTurns();
        if (maintenance != null && checkpointEvery > 0) {
            factory.writerGate().everyFewWrites(checkpointEvery, maintenance::checkpointSoon);
        }
        if (config.location().kind() == DatabaseLocation.Kind.FILE) {
            LitestreamState.warnIfUnannounced(Path.of(config.location().poolKey()), config.settings().replication());
        }
    }

    private static HikariConfig hikariConfig(DatabaseConfig config, PhysicalConnectionFactory factory,
                                             PoolThreads threads) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(factory);
        hikari.setThreadFactory(threads);
        hikari.setScheduledExecutor(threads.housekeeper());
        hikari.setPoolName("enhanced-sqlite " + poolName(config.location()));
        hikari.setMaximumPoolSize(config.settings().pool().maximumPoolSize());
        hikari.setMinimumIdle(config.settings().pool().minimumIdle());
        hikari.setConnectionTimeout(config.settings().pool().connectionTimeoutMillis());
        // A SQLite connection does not go stale, and retiring one throws away its warm page cache.
        hikari.setMaxLifetime(0);
        // Open the first connection now, so a profile that cannot apply fails getConnection, not a later call.
        hikari.setInitializationFailTimeout(1);
        hikari.setAutoCommit(true);
        return hikari;
    }

    private static String poolName(DatabaseLocation location) {
        if (location.kind() == DatabaseLocation.Kind.FILE) {
            Path file = Path.of(location.poolKey()).getFileName();
            return file == null ? location.poolKey() : file.toString();
        }
        return location.poolKey();
    }

    @Override
    public Connection connect() throws SQLException {
        PoolFile file = factory.file();
        if (file != null && file.replaced()) {
            LOG.warn("The database file {} was deleted or replaced while its pool was open: closing that pool (its"
                    + " connections still lent out too) and opening one on the file now at the path",
                    config.location().poolKey());
            return PoolRegistry.instance().reopen(this).connect();
        }
        return lease();
    }

    private Connection lease() throws SQLException {
        try {
            return wrap(hikari.getConnection());
        } catch (ClosedUnderThePool e) {
            return wrap(hikari.getConnection()); // that one was given back; the pool opens another in its place
        }
    }

    /** The application's connection for a lease; a lease that cannot be wrapped goes back to the pool. */
    private Connection wrap(Connection lease) throws SQLException {
        try {
            PhysicalConnection physical = lease.unwrap(PhysicalConnection.class);
            if (physical.isClosed()) {
                // HikariCP skips its validation for a connection used in the last 500 ms
                throw new ClosedUnderThePool();
            }
            return new ConnectionWrapper(lease, physical, this);
        } catch (SQLException | RuntimeException | Error e) {
            giveBack(lease, e);
            throw e;
        }
    }

    /** sqlite-jdbc's connection of an idle lease was closed by something other than the pool. */
    private static final class ClosedUnderThePool extends SQLException {
        private static final long serialVersionUID = 1L;

        ClosedUnderThePool() {
            super("A pooled connection was found closed by something other than its pool", "08003");
        }
    }

    /**
     * A lease the application never got: evicted (whatever failed may have left the connection half set up) and
     * returned, so the pool does not lose the slot for good.
     */
    private void giveBack(Connection lease, Throwable failure) {
        try {
            hikari.evictConnection(lease);
            lease.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** A connection for background work, or null when taking one could make the application wait. */
    private Connection connectIfFree() throws SQLException {
        return closed.get() ? null : leaseIfFree();
    }

    /** Like {@link #connectIfFree}, also while closing: dictionary training asked for before close finishes. */
    private Connection leaseIfFree() throws SQLException {
        HikariPoolMXBean figures = hikari.getHikariPoolMXBean();
        if (figures.getThreadsAwaitingConnection() > 0
                || figures.getActiveConnections() >= config.settings().pool().maximumPoolSize()) {
            return null;
        }
        return lease();
    }

    /**
     * Waits, until the deadline at most, for a moment when no connection is lent out, so that statements and
     * transactions running at exit end as the application wrote them instead of being cut off by close(). A 1 ms
     * poll: this runs once, at exit, and a lease returned to HikariCP signals nothing we could wait on.
     */
    void awaitIdle(long deadlineNanos) {
        HikariPoolMXBean figures = hikari.getHikariPoolMXBean();
        while (figures.getActiveConnections() > 0 && deadlineNanos - System.nanoTime() > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void evict(Connection leased) {
        hikari.evictConnection(leased);
    }

    @Override
    public DatabaseConfig config() {
        return config;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // unpublished first, so a pool reopened for the file at once finds its name free
        metrics.close();
        if (maintenance != null) {
            factory.writerGate().everyFewWrites(Integer.MAX_VALUE, null);
            maintenance.close();
        }
        PoolFile file = factory.file();
        boolean replaced = file != null && file.replaced();
        if (dictionaryWork != null) {
            dictionaryWork.close(!replaced);
        }
        if (replaced) {
            file.markReplaced(); // before the connections close: the last one tidies up
        }
        hikari.close();
        threads.awaitEnded();
        if (keepAlive != null) {
            closeQuietly(keepAlive);
        } else if (file != null && !replaced && !readOnly) {
            finishFile();
        }
        factory.close(); // its connections are all closed now: the timeout thread and the native dictionaries go
    }

    /**
     * Runs optimize and a truncating checkpoint on a connection of our own once the pool's are closed. When
     * it closes as the last connection to the file, SQLite removes the -wal and -shm files; if another
     * process still has the file open they stay, as they must. With Litestream replicating the file there is no
     * checkpoint: a TRUNCATE waits out busy_timeout against Litestream's read transaction while holding the
     * checkpoint lock, which made each close take seconds and failed Litestream's own checkpoint meanwhile.
     */
    private void finishFile() {
        boolean checkpoint = config.settings().replication().driverCheckpoints();
        if (!checkpoint && !config.settings().profile().optimizes()) {
            return;
        }
        try (Connection connection = factory.getConnection(); Statement statement = connection.createStatement()) {
            if (config.settings().profile().optimizes()) {
                statement.execute("PRAGMA optimize");
            }
            if (checkpoint) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            LOG.warn("Closing {}: final optimize/checkpoint failed: {}", config.location().poolKey(), e.getMessage());
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("close failed", e);
        }
    }
}
