package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.exec.PipelinePlan;
import io.github.enhancedsqlite.config.CompressionSettings;
import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import io.github.enhancedsqlite.config.Settings;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.metrics.SlowStatementLog;
import io.github.enhancedsqlite.tx.BusyRetry;
import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.StoredOriginals;
import io.github.enhancedsqlite.tx.TransactionControl;
import io.github.enhancedsqlite.tx.TransactionDeadlines;
import io.github.enhancedsqlite.tx.TransactionTimer;
import io.github.enhancedsqlite.tx.TransactionSettings;
import io.github.enhancedsqlite.tx.TransactionShapes;
import io.github.enhancedsqlite.tx.WriterGate;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConnection;

/**
 * Opens physical connections straight from sqlite-jdbc, with the profile applied. It is the DataSource
 * HikariCP pools, so no DriverManager lookup happens (a lookup that class loaders in app servers break).
 */
final class PhysicalConnectionFactory implements DataSource, AutoCloseable {

    private final DatabaseConfig config;
    private final TransactionSettings transactionSettings;
    private final BusyRetry retry;
    /** One per database: every component of every connection to it counts here. */
    private final DatabaseMetrics metrics;
    private final SlowStatementLog slowStatementLog;
    /** The transaction and query timeouts of every connection opened here, on a thread this factory's owner stops. */
    private final TransactionDeadlines deadlines;
    /** The writer turn shared by every connection to the database; null when each connection is its own database. */
    private final WriterGate sharedGate;
    /** Compression shared by every connection to the database; null when each connection is its own database. */
    private final Compression sharedCompression;
    /** Which steps statements pass, decided once for the database; null when each connection is its own database. */
    private final PipelinePlan sharedPlan;
    private volatile int loginTimeoutSeconds = 5;
    /** The database file, for noticing that it was deleted or replaced; null for in-memory databases. */
    private final PoolFile file;
    /** The file claimed for this JVM's copy of SQLite that this factory's connections use; null in memory. */
    private final SqliteCopyClaim claim;
    /** What the database's transactions go on to do, learned by the first statement they begin with. */
    private final TransactionShapes shapes = new TransactionShapes();
    /** The pool's first connection, opened before HikariCP starts; HikariCP's first request takes it. */
    private final AtomicReference<PhysicalConnection> openedFirst = new AtomicReference<>();
    /** See {@link #useSlots}; null for a pool that starts HikariCP at once. */
    private volatile Slots slots;
    /** Physical connections open now: the last one to close tidies up after a replaced file. */
    private final AtomicInteger openConnections = new AtomicInteger();

    PhysicalConnectionFactory(DatabaseConfig config) throws SQLException {
        // first: a file another copy of SQLite in this JVM uses is refused before anything is started for it
        this.claim = config.location().kind() == DatabaseLocation.Kind.FILE
                ? SqliteCopyClaim.claim(config.location().poolKey()) : null;
        this.config = config;
        Settings settings = config.settings();
        String name = databaseName(config);
        this.metrics = new DatabaseMetrics(name);
        this.slowStatementLog = new SlowStatementLog(name, settings.observability().slowStatementThresholdMillis(),
                settings.observability().logParameters(), metrics);
        this.transactionSettings = new TransactionSettings(name, settings.transactions().beginStatement(),
                settings.transactions().writerTimeoutMillis(), settings.transactions().transactionTimeoutMillis());
        this.deadlines = new TransactionDeadlines(new TransactionTimer(name));
        this.retry = new BusyRetry(name, settings.transactions().busyRetryAttempts(),
                settings.transactions().busyRetryBackoffMillis(), settings.transactions().busyRetryMaxWaitMillis(),
                metrics);
        this.file = config.location().kind() == DatabaseLocation.Kind.FILE
                ? new PoolFile(Path.of(config.location().poolKey())) : null;
        Path databaseFile = config.location().kind() == DatabaseLocation.Kind.FILE
                && settings.transactions().processQueue() ? Path.of(config.location().poolKey()) : null;
        this.sharedGate = config.location().isPooled()
                ? writerGate(name, databaseFile, databaseFile != null && isNew(databaseFile), file, settings, metrics)
                : null;
        this.sharedCompression = config.location().isPooled() ? compression(settings, metrics, DriverTimer.SUPPLIER)
                : null;
        this.sharedPlan = sharedCompression != null ? PipelinePlan.of(sharedCompression, slowStatementLog) : null;
    }

    /** The pool's database file; null for in-memory databases. */
    PoolFile file() {
        return file;
    }

    /** The compression every connection of this pool shares; null when each connection is its own database. */
    Compression compression() {
        return sharedCompression;
    }

    DatabaseMetrics metrics() {
        return metrics;
    }

    /** The writer turn every connection of this pool shares; null when each connection is its own database. */
    WriterGate writerGate() {
        return sharedGate;
    }

    private static WriterGate writerGate(String name, Path file, boolean createdHere, PoolFile opened,
                                         Settings settings, DatabaseMetrics metrics) {
        return new WriterGate(name, file, createdHere, opened,
                TimeUnit.MILLISECONDS.toNanos(settings.transactions().writerFairnessWindowMillis()), metrics);
    }

    /**
     * Whether the pool is about to create the database file (none yet, or an empty one): any other process that writes
     * it comes later and creates the writers' queue file, so this pool's writers need not (see {@code ProcessQueue}).
     */
    private static boolean isNew(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).size() == 0;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false; // unknown: queue from the first write, as for any existing file
        }
    }

    /** @param parseTimer the pools' timer for a pool's statements; null for a private in-memory database's */
    private static Compression compression(Settings settings, DatabaseMetrics metrics,
                                           Supplier<ScheduledExecutorService> parseTimer) {
        CompressionSettings compression = settings.compression();
        return new Compression(compression.mode(), compression.listed(), compression.threshold(),
                compression.dictionaryThreshold(), compression.levels(), compression.dictionarySamples(), metrics,
                parseTimer);
    }

    static String databaseName(DatabaseConfig config) {
        return config.location().poolKey() != null ? config.location().poolKey() : config.location().sqliteUrl();
    }

    /**
     * The slots of a lazily started pool ({@link GrowthConnections}): every connection of the file holds one from
     * before it opens until it has closed, so the file never holds more than {@code maximumPoolSize}.
     */
    interface Slots {
        /** For HikariCP's next connection: one to adopt, or null once a slot is reserved for a new one (may wait). */
        PhysicalConnection forHikari();

        /** The slot {@link #forHikari} reserved was not used: the open failed. */
        void unused();

        /** A connection of the file has closed. */
        void closed();

        /** A connection opens beyond the size ({@link BeyondTheSizeConnections}): it holds a slot too until it closes. */
        void beyondTheSize();
    }

    /** HikariCP's connections (and the final checkpoint's) take their slot through these from now on. */
    void useSlots(Slots slots) {
        this.slots = slots;
    }

    /** HikariCP's connections: the one opened first, else one lent while it grew, else a new one. */
    @Override
    public Connection getConnection() throws SQLException {
        PhysicalConnection first = openedFirst.getAndSet(null);
        if (first != null) {
            return first;
        }
        Slots taken = slots;
        if (taken == null) {
            return open();
        }
        PhysicalConnection adopted = taken.forHikari();
        if (adopted != null) {
            return adopted;
        }
        try {
            return open();
        } catch (SQLException | RuntimeException | Error e) {
            taken.unused();
            throw e;
        }
    }

    /**
     * Opens the pool's first connection now, for HikariCP to take when it asks for one: its own first open (at
     * start, when asked to fail fast) is logged at INFO, so the pool starts without one, and this keeps a database
     * that cannot be opened failing the getConnection that opens its pool, with the reason.
     */
    void openFirst() throws SQLException {
        openedFirst.set(open());
    }

    /** Like {@link #open}, for a connection beyond {@code maximumPoolSize} (see {@link BeyondTheSizeConnections}). */
    PhysicalConnection openBeyondTheSize() throws SQLException {
        Slots taken = slots;
        if (taken == null) {
            return open();
        }
        taken.beyondTheSize();
        try {
            return open();
        } catch (SQLException | RuntimeException | Error e) {
            taken.unused();
            throw e;
        }
    }

    /** A new physical connection with the profile applied, wrapped with its statement cache. */
    PhysicalConnection open() throws SQLException {
        if (file != null && file.replaced()) {
            // opening would create an empty file at the path, beside the old file's -wal and -shm
            throw file.replacedError();
        }
        SqliteLibrary.load(); // before sqlite-jdbc's first connection would load it its own way
        SQLiteConnection connection;
        try {
            connection = JDBC.createConnection(config.location().sqliteUrl(), config.settings().sqlitePropertiesCopy());
        } catch (SQLException e) {
            throw OpenFailure.explain(e, config);
        }
        if (connection == null) {
            throw new SQLException("sqlite-jdbc did not accept " + config.location().sqliteUrl());
        }
        String readOnlyReason = ReadOnlyDatabase.reason(config);
        try {
            try {
                retry.call(new ProfileApplication(connection, config, readOnlyReason));
            } catch (SQLException e) {
                throw OpenFailure.explain(e, config);
            }
            if (file != null) {
                file.opened();
            }
            WriterGate gate = sharedGate != null ? sharedGate
                    : writerGate(transactionSettings.database(), null, false, null, config.settings(), metrics);
            Compression compression = sharedCompression != null ? sharedCompression
                    : compression(config.settings(), metrics, null);
            Codec codec = compression.attach(connection, PragmaApplier.pageCacheBytes(config));
            PipelinePlan plan = sharedPlan != null ? sharedPlan : PipelinePlan.of(compression, slowStatementLog);
            TransactionControl transactions = new TransactionControl(connection, gate, retry, transactionSettings,
                    metrics, deadlines, shapes, new Originals(codec));
            return new PhysicalConnection(connection, config.settings().pool().statementCacheSize(),
                    plan.forConnection(connection, transactions, codec, readOnlyReason != null), metrics,
                    counted(connection, sharedCompression != null ? null : compression));
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * Counts the connection as open; its close hook tidies up after a replaced file when it is the last, and frees
     * the native dictionaries of a compression that served this connection alone (a private database's).
     */
    private Runnable counted(SQLiteConnection connection, Compression ownCompression) {
        openConnections.incrementAndGet();
        return new ConnectionClosed(this, connection, ownCompression);
    }

    private void closed(SQLiteConnection connection, Compression ownCompression) {
        if (ownCompression != null) {
            ownCompression.close();
        }
        if (openConnections.decrementAndGet() == 0 && file != null && file.isMarkedReplaced()) {
            file.tidyAfterReplacement(connection);
        }
        Slots taken = slots;
        if (taken != null) {
            taken.closed();
        }
    }

    /**
     * A connection's close hook ({@link #counted}): a named class, not a lambda (docs/ARCHITECTURE.md, "Start-up
     * cost").
     */
    /**
     * Applies the profile to a new connection, run again while the database is busy: switching an existing
     * rollback-journal file to WAL needs every other writer of the file to finish, and SQLite refuses it at once
     * rather than waiting (the switch first reads the file, and a connection that reads may not wait for the write
     * lock). Another process, or another copy of the driver, opening or writing the file at that moment made the open
     * fail; it now waits out that writer as a busy statement does. Everything it applies is idempotent.
     */
    private static final class ProfileApplication implements SqlAction<Void> {
        private final SQLiteConnection connection;
        private final DatabaseConfig config;
        private final String readOnlyReason;

        ProfileApplication(SQLiteConnection connection, DatabaseConfig config, String readOnlyReason) {
            this.connection = connection;
            this.config = config;
            this.readOnlyReason = readOnlyReason;
        }

        @Override
        public Void run() throws SQLException {
            PragmaApplier.apply(connection, config, readOnlyReason);
            return null;
        }
    }

    private static final class ConnectionClosed implements Runnable {
        private final PhysicalConnectionFactory factory;
        private final SQLiteConnection connection;
        private final Compression ownCompression;

        ConnectionClosed(PhysicalConnectionFactory factory, SQLiteConnection connection, Compression ownCompression) {
            this.factory = factory;
            this.connection = connection;
            this.ownCompression = ownCompression;
        }

        @Override
        public void run() {
            factory.closed(connection, ownCompression);
        }
    }

    /**
     * A reader's check compares envelopes by their originals, through the connection's codec: named, not a method
     * reference (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Originals implements StoredOriginals {
        private final Codec codec;

        Originals(Codec codec) {
            this.codec = codec;
        }

        @Override
        public Object original(byte[] stored) {
            return codec.originalOrStored(stored);
        }
    }

    /**
     * Stops what the connections opened here shared: the timeout thread, and the native zstd dictionaries. Called
     * by the owner once those connections are closed (their codecs no longer use the dictionaries).
     */
    @Override
    public void close() {
        PhysicalConnection first = openedFirst.getAndSet(null);
        if (first != null) {
            try {
                first.close();
            } catch (SQLException e) {
                // nothing was done on it; closing it is all that is left
            }
        }
        deadlines.close();
        if (sharedGate != null) {
            sharedGate.close();
        }
        if (sharedCompression != null) {
            sharedCompression.close();
        }
        if (claim != null) {
            claim.release();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver-level log stream: logging goes through SLF4J
    }

    /** Opening a local file has no login phase; HikariCP reads this back to bound its shutdown waits. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("logging goes through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException(getClass().getSimpleName() + " does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
