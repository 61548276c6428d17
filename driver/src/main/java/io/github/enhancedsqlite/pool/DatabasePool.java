package io.github.enhancedsqlite.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import io.github.enhancedsqlite.jdbc.ConnectionEvictor;
import io.github.enhancedsqlite.jdbc.ConnectionWrapper;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import io.github.enhancedsqlite.maintenance.IncrementalVacuum;
import io.github.enhancedsqlite.maintenance.Maintenance;
import io.github.enhancedsqlite.metrics.MetricsRegistration;
import io.github.enhancedsqlite.tx.SqlAction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pool of one database: its first connection lent by the pool itself ({@link FirstConnection}), a burst of
 * borrowers served by connections they open themselves ({@link GrowthConnections}), HikariCP started a moment after
 * a second connection is first wanted at once. Closing it leaves the file as a plain SQLite tool expects it:
 * optimized, its WAL checkpointed into the main file, and no -wal or -shm file behind. A file's pool counts the
 * leases the application holds, so that the registry can close it once nothing was borrowed for
 * {@code poolIdleTimeout}, or to keep the number of idle pools within {@code maxIdlePools}: a JVM that touches
 * hundreds of files then holds connections (three descriptors each) only for those in use.
 */
final class DatabasePool implements ConnectionSource, ConnectionEvictor {

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePool.class);

    private final DatabaseConfig config;
    private final PhysicalConnectionFactory factory;
    /**
     * Null until HikariCP starts: {@link #HIKARI_START_DELAY_MILLIS} after a second connection was first wanted while
     * the first was lent, or when a borrower finds no growth slot free (at once, for a pool that is not lazy).
     * HikariCP's pool itself rather than a HikariDataSource around it: the data source logs the pool's start and
     * shutdown at INFO, which an application with an SLF4J provider at its default level would print.
     */
    private volatile HikariPool hikari;
    /** The configuration {@link #hikari} reads its size from, resized when the first connection closes. */
    private volatile HikariConfig hikariSettings;
    /** Null for a pool that starts HikariCP at once (memory databases, fixed or single-connection pools). */
    private final FirstConnection first;
    /** Connections lent while HikariCP grows; null exactly when {@link #first} is. */
    private final GrowthConnections growth;
    /**
     * Connections lent beyond the size when none comes free; made when first wanted (a process that never fills its
     * pool never loads the class), under {@link #hikariLock}; read without it by the figures.
     */
    private volatile BeyondTheSizeConnections beyond;
    /**
     * Each thread's count of the application's leases of this pool, for {@link #leaseNested}. The value refers to
     * nothing of the pool, so a thread that outlives a closed pool keeps no more than a counter of it.
     */
    private final ThreadLocal<AtomicInteger> leasesByThread = new ThreadLocal<>();
    /**
     * Set once a second connection was wanted while the first was lent: the borrowers get growth connections, and
     * HikariCP starts on a thread of its own {@link #HIKARI_START_DELAY_MILLIS} later (or at once, on the borrower's
     * thread, when a borrower finds no growth slot free).
     */
    private final AtomicBoolean hikariStartAsked = new AtomicBoolean();
    /** HikariCP's start on the driver's timer, once asked for; cancelled when the pool closes. */
    private volatile ScheduledFuture<?> hikariStart;
    /** Guards starting HikariCP against closing the pool. */
    private final Object hikariLock = new Object();
    private boolean hikariEnded;
    /** HikariCP's threads for this pool, waited for when it closes. */
    private final PoolThreads threads;
    /** Holds a shared in-memory database alive while the pool lives; null for files. */
    private final Connection keepAlive;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Counted down when close() has finished. */
    private final CountDownLatch closedFully = new CountDownLatch(1);
    private final MetricsRegistration metrics;
    /** Null for in-memory and read-only databases and when maintenanceInterval is 0. */
    private final Maintenance maintenance;
    /** Null for read-only databases and with compress=off. */
    private final DictionaryWork dictionaryWork;
    /** A reader can neither checkpoint nor optimize, so it gets no maintenance and no final checkpoint. */
    private final boolean readOnly;
    /** Leases the application holds now (background leases do not count: they must not keep a pool open). */
    private final AtomicInteger borrowed = new AtomicInteger();
    /** When the application last gave a lease back (or the pool opened): the idle timeout and LRU order. */
    private volatile long lastUsedNanos = System.nanoTime();
    /**
     * When one of the pool's connections (the first, a growth connection, HikariCP's: not one beyond the size) last
     * came back from an application lease, by {@link System#nanoTime()}; see {@link #leaseWaitingOrBeyond}.
     */
    private volatile long pooledGivenBackNanos = System.nanoTime();
    /**
     * Set while the registry closes this pool for idleness. With {@link #borrowed} it forms a handshake: a
     * getConnection counts itself before it looks at this flag, and the registry sets it before it looks at the count
     * again, so either the borrower goes through the registry (and gets the next pool) or the pool stays open.
     */
    private volatile boolean retiring;
    /** The idle check on the driver's timer; null for a pool that never closes for idleness. */
    private final ScheduledFuture<?> idleCheck;
    /** The idle check asked the registry to close this pool, and the registry has not answered yet. */
    private final AtomicBoolean idleCloseAsked = new AtomicBoolean();
    /** What background leases (maintenance) report to: it evicts, and counts nothing. */
    private final BackgroundLeases background = new BackgroundLeases(this, true);
    /** The first connection's figures and HikariCP's, once started. */
    private final Figures figures = new Figures();

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
        if (startsLazily(config)) {
            PhysicalConnection opened;
            try {
                // opened now, so a profile that cannot apply fails this getConnection, not a later call
                opened = factory.open();
            } catch (SQLException | RuntimeException e) {
                threads.awaitEnded();
                factory.close();
                throw e;
            }
            this.first = new FirstConnection(opened, new Callback(this, Callback.FIRST_CLOSED));
            this.growth = new GrowthConnections(config.settings().pool().maximumPoolSize(), 1, factory, new Sizing());
            factory.useSlots(growth);
        } else {
            this.first = null;
            this.growth = null;
            try {
                // the first connection, opened here so that a database that cannot open (or a profile that cannot
                // apply) fails this getConnection with its own error; HikariCP takes it as its first connection
                factory.openFirst();
                this.hikari = startHikari(config.settings().pool().maximumPoolSize(),
                        config.settings().pool().minimumIdle());
            } catch (SQLException | RuntimeException e) {
                closeQuietly(keepAlive);
                threads.awaitEnded();
                factory.close();
                throw e;
            }
        }
        factory.metrics().attachPool(figures);
        this.metrics = MetricsRegistration.publishSoon(factory.metrics(), DriverTimer.get());
        long interval = config.settings().maintenance().intervalMillis();
        this.maintenance = interval > 0 && config.location().kind() == DatabaseLocation.Kind.FILE && !readOnly
                ? Maintenance.start(config.location().poolKey(), config.settings().maintenance(), factory.writerGate(),
                        new BackgroundLeases(this, false), factory.metrics(),
                        config.settings().replication().driverCheckpoints(),
                        DriverTimer.get())
                : null;
        Compression compression = factory.compression();
        this.dictionaryWork = !readOnly && compression != null && compression.mode() != Compression.Mode.OFF
                ? new DictionaryWork(config.location().poolKey(), compression, background,
                        threads.single("dictionaries"))
                : null;
        int checkpointEvery = config.settings().maintenance().checkpointEveryWriterTurns();
        if (maintenance != null && checkpointEvery > 0) {
            factory.writerGate().everyFewWrites(checkpointEvery, new Callback(this, Callback.CHECKPOINT_SOON));
        }
        long idleTimeout = config.settings().pool().idleTimeoutMillis();
        // a shared in-memory database lives only as long as its pool: it never closes for idleness
        if (idleTimeout > 0 && config.location().kind() == DatabaseLocation.Kind.FILE) {
            long period = Math.max(IDLE_CHECK_MIN_MILLIS, Math.min(IDLE_CHECK_MAX_MILLIS, idleTimeout / 4));
            this.idleCheck = DriverTimer.get().scheduleWithFixedDelay(new Callback(this, Callback.IDLE_CHECK), period,
                    period, TimeUnit.MILLISECONDS);
        } else {
            this.idleCheck = null;
        }
        if (config.location().kind() == DatabaseLocation.Kind.FILE) {
            LitestreamState.warnIfUnannounced(Path.of(config.location().poolKey()), config.settings().replication());
        }
    }

    /** How often a pool looks whether it has been idle for its timeout: a quarter of it, within these bounds. */
    private static final long IDLE_CHECK_MIN_MILLIS = 10;
    private static final long IDLE_CHECK_MAX_MILLIS = 15_000;

    /**
     * Whether the first connection is lent without HikariCP: a file's pool that opens with one connection and may
     * grow. A pool asked to hold more connections idle, or limited to one, starts HikariCP at once.
     */
    private static boolean startsLazily(DatabaseConfig config) {
        return config.location().kind() == DatabaseLocation.Kind.FILE && config.settings().pool().minimumIdle() <= 1
                && config.settings().pool().maximumPoolSize() > 1;
    }

    /**
     * HikariCP over the factory. Started late, beside the first connection, it holds one connection less while that
     * one is open, opens its connections on demand, and gets the whole size back when the first closes
     * ({@link #firstClosed}).
     */
    private HikariPool startHikari(int maximumPoolSize, int minimumIdle) throws SQLException {
        try {
            HikariConfig settings = hikariConfig(config, factory, threads, maximumPoolSize, minimumIdle);
            settings.validate();
            hikariSettings = settings;
            return new HikariPool(settings);
        } catch (HikariPool.PoolInitializationException e) {
            throw e.getCause() instanceof SQLException ? (SQLException) e.getCause()
                    : new SQLException("Could not open " + config.location().poolKey() + ": " + e.getMessage(), e);
        }
    }

    /** HikariCP, started now if it was not: a second connection is wanted while the first is lent. */
    private HikariPool hikari() throws SQLException {
        HikariPool started = hikari;
        if (started != null) {
            return started;
        }
        synchronized (hikariLock) {
            if (hikari == null) {
                if (hikariEnded) {
                    throw new SQLException("The pool of " + config.location().poolKey() + " is closed", "08003");
                }
                int maximum = config.settings().pool().maximumPoolSize();
                HikariPool pool = startHikari(first.isOpen() ? maximum - 1 : maximum, 0);
                growth.resize(); // the connections borrowers opened meanwhile, before anyone borrows from it
                hikari = pool;
                growth.resize(); // and the idle ones offered to it
                first.retire();
                if (!first.isOpen()) {
                    firstClosed(); // it may have closed before HikariCP was there to grow
                }
            }
            return hikari;
        }
    }

    /**
     * How long after a second connection was first wanted at once HikariCP starts: its idle timeout, since closing the
     * connections a burst left idle for that long is the first thing it has to do for a grown pool (a borrower that
     * finds no growth slot free starts it at once). Starting it costs tens of milliseconds of CPU in a JVM that never
     * ran it (its classes, and a SecureRandom for its connection ids, which loads the JDK's security providers):
     * started at once, it ran beside the very burst that asked for it. On 2 cores, with 4 fresh JVMs × 4 writers
     * starting together on one file ({@code BenchRunner multi-process}), their first transactions took 50–90 ms and
     * the runs' slowest 100–170 ms; with growth connections alone through the burst, 44–52 ms (raw sqlite-jdbc's, its
     * pool filled before the start: 45–64 ms); started 1 s later, it still landed in a run that lasted 1.5 s (136 ms).
     */
    private static final long HIKARI_START_DELAY_MILLIS = DatabasePool.HIKARI_IDLE_TIMEOUT_MILLIS;

    /**
     * On the timer: starts HikariCP on a pool thread, unless it started (a borrower found no growth slot) or the pool
     * closed meanwhile. Under the lock that closing takes, so a pool that closes either sees the thread or stops it.
     */
    private void startHikariSoon() {
        synchronized (hikariLock) {
            if (hikari == null && !hikariEnded) {
                threads.runOnce("start", new Callback(this, Callback.START_HIKARI));
            }
        }
    }

    /** On a pool thread: a failure here (the pool closed meanwhile) is met again by the next borrower that needs HikariCP. */
    private void startHikariQuietly() {
        try {
            hikari();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{}: HikariCP did not start in the background", config.location().poolKey(), e);
        }
    }

    /** The first connection closed: HikariCP, once started, may use its slot. */
    private void firstClosed() {
        HikariPool started = hikari;
        if (started != null) {
            growth.resize();
            int waiting = started.getThreadsAwaitingConnection();
            if (waiting > 0) {
                // HikariCP asks for a connection only when a borrow begins to wait: one that waited at the smaller
                // size would otherwise wait out its timeout beside the slot the first connection freed
                started.addBagItem(waiting);
            }
        }
    }

    private static HikariConfig hikariConfig(DatabaseConfig config, PhysicalConnectionFactory factory,
                                             PoolThreads threads, int maximumPoolSize, int minimumIdle) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(factory);
        hikari.setThreadFactory(threads);
        hikari.setScheduledExecutor(threads.housekeeper());
        hikari.setPoolName("enhanced-sqlite " + poolName(config.location()));
        hikari.setMaximumPoolSize(maximumPoolSize);
        hikari.setMinimumIdle(minimumIdle);
        hikari.setConnectionTimeout(config.settings().pool().connectionTimeoutMillis());
        // Connections above minimumIdle close after HikariCP's shortest idle timeout: a burst of readers should not
        // hold a 1 GiB page cache and three descriptors each for ten minutes. A pool of fixed size has nothing to
        // shrink, and HikariCP warns on stderr when it is given an idle timeout anyway.
        if (minimumIdle < maximumPoolSize) {
            hikari.setIdleTimeout(HIKARI_IDLE_TIMEOUT_MILLIS);
        } else {
            hikari.setIdleTimeout(0);
        }
        // A SQLite connection has no server to keep alive; the keepalive query would only wake the pool up.
        hikari.setKeepaliveTime(0);
        // A SQLite connection does not go stale, and retiring one throws away its warm page cache.
        hikari.setMaxLifetime(0);
        // HikariCP opens no connection of its own when it starts (it logs that one at INFO): the pool's first
        // connection is opened before it, so a database that cannot open still fails the first getConnection.
        hikari.setInitializationFailTimeout(-1);
        hikari.setAutoCommit(true);
        return hikari;
    }

    /** HikariCP refuses an idle timeout below 10 s (it falls back to 10 min). */
    private static final long HIKARI_IDLE_TIMEOUT_MILLIS = 10_000;

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
        borrowed.incrementAndGet();
        if (retiring || closed.get()) {
            // closed for idleness (or closing) under our feet: the registry opens the next pool for the file
            returned();
            return PoolRegistry.instance().current(this).connect();
        }
        AtomicInteger ofThisThread = leasesOfThisThread();
        try {
            Connection lent = lease(this, ofThisThread);
            ofThisThread.incrementAndGet();
            return lent;
        } catch (SQLException | RuntimeException | Error e) {
            returned();
            throw e;
        }
    }

    /** The calling thread's count of the application's leases of this pool. */
    private AtomicInteger leasesOfThisThread() {
        AtomicInteger counted = leasesByThread.get();
        if (counted == null) {
            counted = new AtomicInteger();
            leasesByThread.set(counted);
        }
        return counted;
    }

    /**
     * @param ofThread the borrowing thread's count of the application's leases, left when the lease ends; null for
     *                 background work
     */
    private Connection lease(ConnectionEvictor owner, AtomicInteger ofThread) throws SQLException {
        if (first != null && hikari == null) {
            PhysicalConnection own = first.lend();
            if (own != null) {
                return lendOwn(own, first, owner, ofThread);
            }
            if (hikariStartAsked.compareAndSet(false, true)) {
                hikariStart = DriverTimer.get().schedule(new Callback(this, Callback.START_HIKARI_SOON),
                        HIKARI_START_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
            PhysicalConnection grown = growth.lend();
            if (grown != null) {
                return lendOwn(grown, growth, owner, ofThread);
            }
        }
        HikariPool pool = hikari();
        if (growth != null && pool.getIdleConnections() == 0) {
            PhysicalConnection grown = growth.lend();
            if (grown != null) {
                return lendOwn(grown, growth, owner, ofThread);
            }
        }
        if (ofThread == null) {
            return leaseWaiting(pool, owner);
        }
        if (ofThread.get() > 0 && atMaximumPoolSize(pool)) {
            Connection served = leaseNested(pool, owner, ofThread);
            if (served != null) {
                return served;
            }
        }
        return leaseWaitingOrBeyond(pool, owner, ofThread);
    }

    /** Background work waits for one of HikariCP's connections, up to {@code connectionTimeout}. */
    private Connection leaseWaiting(HikariPool pool, ConnectionEvictor owner) throws SQLException {
        Lease lease = new Lease(null, null, owner, null);
        try {
            return wrap(pool.getConnection(), lease);
        } catch (ClosedUnderThePool e) {
            return wrap(pool.getConnection(), lease); // that one was given back; the pool opens another in its place
        } catch (SQLTransientConnectionException timedOut) {
            throw PoolExhausted.explain(timedOut, config.location().poolKey(), config.settings().pool(), 0);
        }
    }

    /**
     * The application's borrower waits for one of HikariCP's connections, up to {@code connectionTimeout}; but once the
     * file has all {@code maximumPoolSize} open and none of them has come back for {@link #PARKED_AFTER_NANOS}, it
     * takes one beyond the size ({@link BeyondTheSizeConnections}) if one is free. A pool in use gives a connection
     * back every few milliseconds; one that gave none back for that long has its connections parked: idle in a pool in
     * front of the driver, or held by code that never closes them. Plain sqlite-jdbc would have opened one for this
     * borrower, and so does the pool. It waits in turns that end when the pool would count as parked, since the
     * connections beyond the size given back reach no waiter in HikariCP.
     */
    private Connection leaseWaitingOrBeyond(HikariPool pool, ConnectionEvictor owner, AtomicInteger ofThread)
            throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                config.settings().pool().connectionTimeoutMillis());
        while (true) {
            long sinceGivenBack = System.nanoTime() - pooledGivenBackNanos;
            if (sinceGivenBack >= PARKED_AFTER_NANOS && atMaximumPoolSize(pool)) {
                Connection served = leaseBeyondTheSize(owner, ofThread);
                if (served != null) {
                    return served;
                }
            }
            long remaining = deadline - System.nanoTime();
            long untilParked = PARKED_AFTER_NANOS - sinceGivenBack;
            long turn = Math.min(remaining, untilParked > 0 ? untilParked : PARKED_AFTER_NANOS);
            try {
                long turnMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(turn + 999_999));
                return wrap(pool.getConnection(remaining > 0 ? turnMillis : 0),
                        new Lease(null, null, owner, ofThread));
            } catch (ClosedUnderThePool e) {
                continue; // that one was given back; the pool opens another in its place
            } catch (SQLTransientConnectionException timedOut) {
                if (timedOut.getCause() != null) {
                    throw timedOut; // opening a connection failed: HikariCP says why
                }
                if (deadline - System.nanoTime() <= 0) {
                    throw PoolExhausted.explain(timedOut, config.location().poolKey(), config.settings().pool(),
                            lentBeyondTheSize());
                }
            }
        }
    }

    /**
     * How long none of the pool's connections came back before its connections count as parked: far longer than a
     * pool in use goes without a connection coming back (milliseconds, also for a crowd of borrowers on two cores),
     * short beside the {@code connectionTimeout} a parked pool made borrowers wait before.
     */
    private static final long PARKED_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * A thread that holds a lease of this pool already never waits in HikariCP for another once the file has all its
     * connections open: the borrowers it would wait for may be waiting for it — for the writer turn its transaction
     * holds (Spring's REQUIRES_NEW inside a write), or each holding a lease and asking for a second one, as it does.
     * Plain sqlite-jdbc opens a connection per getConnection, so code written for it never waited there. It takes an
     * idle connection if one is there at once (it could lose one it saw to another borrower before taking it), else
     * one beyond the size ({@link BeyondTheSizeConnections}) without waiting a turn first; null when those are all
     * lent, and it then waits as anyone does.
     */
    private Connection leaseNested(HikariPool pool, ConnectionEvictor owner, AtomicInteger ofThread)
            throws SQLException {
        if (pool.getIdleConnections() > 0) {
            try {
                return wrap(pool.getConnection(0), new Lease(null, null, owner, ofThread));
            } catch (ClosedUnderThePool | SQLTransientConnectionException takenOrClosed) {
                // another borrower took it first, or it was found closed and given back: one beyond the size
            }
        }
        return leaseBeyondTheSize(owner, ofThread);
    }

    /** A lease of a connection opened beyond the size; null when those are all lent, or the pool is closing. */
    private Connection leaseBeyondTheSize(ConnectionEvictor owner, AtomicInteger ofThread) throws SQLException {
        BeyondTheSizeConnections beyondTheSize = beyondTheSizeConnections();
        PhysicalConnection opened = beyondTheSize == null ? null : beyondTheSize.lend();
        return opened == null ? null : lendOwn(opened, beyondTheSize, owner, ofThread);
    }

    /** Whether the file has all {@code maximumPoolSize} connections open (below it, HikariCP opens one more). */
    private boolean atMaximumPoolSize(HikariPool pool) {
        int maximum = config.settings().pool().maximumPoolSize();
        return growth != null ? growth.slotsHeld() >= maximum : pool.getTotalConnections() >= maximum;
    }

    /** Connections lent beyond the size now (or being opened). */
    private int lentBeyondTheSize() {
        BeyondTheSizeConnections lent = beyond;
        return lent == null ? 0 : lent.lentNow();
    }

    /** The connections lent beyond the size, made now if need be; null once the pool closes. */
    private BeyondTheSizeConnections beyondTheSizeConnections() {
        synchronized (hikariLock) {
            if (beyond == null && !hikariEnded) {
                beyond = new BeyondTheSizeConnections(config.settings().pool().maximumPoolSize(), factory);
            }
            return hikariEnded ? null : beyond;
        }
    }

    /** The application's connection for a lease of a connection the pool lends itself, which its end gives back. */
    private static Connection lendOwn(PhysicalConnection own, OwnConnections from, ConnectionEvictor owner,
                                      AtomicInteger ofThread) {
        Lease lease = new Lease(from, own, owner, ofThread);
        try {
            return new ConnectionWrapper(null, own, lease);
        } catch (RuntimeException | Error e) {
            from.giveBack(own, true);
            throw e;
        }
    }

    /**
     * One lease: where its connection goes back when it ends (HikariCP's through its proxy, which the wrapper closes;
     * one the pool lends itself — the first, a growth connection, one beyond the size — to its
     * {@link OwnConnections}, closed if evicted), whom the end is reported to, and the borrowing thread's count it
     * leaves.
     */
    private static final class Lease implements ConnectionEvictor {
        /** Null for a lease of HikariCP's. */
        private final OwnConnections from;
        private final PhysicalConnection lent;
        private final ConnectionEvictor owner;
        /** Null for background work. */
        private final AtomicInteger ofThread;
        private volatile boolean evicted;

        Lease(OwnConnections from, PhysicalConnection lent, ConnectionEvictor owner, AtomicInteger ofThread) {
            this.from = from;
            this.lent = lent;
            this.owner = owner;
            this.ofThread = ofThread;
        }

        @Override
        public void evict(Connection leased) {
            if (from == null) {
                owner.evict(leased);
            } else {
                evicted = true;
            }
        }

        @Override
        public void returned() {
            if (from != null) {
                from.giveBack(lent, evicted);
            }
            if (ofThread != null) {
                ofThread.decrementAndGet();
            }
            if (owner instanceof DatabasePool pool) {
                pool.returned(!(from instanceof BeyondTheSizeConnections));
            } else {
                owner.returned();
            }
        }
    }

    /**
     * Leases for the pool's own background work (maintenance, dictionary training): taken only when one is free, and
     * reported to the pool without being counted as the application's (they only evict). A named class rather than
     * method references (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class BackgroundLeases implements SqlAction<Connection>, ConnectionEvictor {
        private final DatabasePool pool;
        /** Also while the pool closes (dictionary training asked for before close finishes); else not then. */
        private final boolean whileClosing;

        BackgroundLeases(DatabasePool pool, boolean whileClosing) {
            this.pool = pool;
            this.whileClosing = whileClosing;
        }

        /** A connection for background work, or null when taking one could make the application wait. */
        @Override
        public Connection run() throws SQLException {
            return whileClosing ? pool.leaseIfFree() : pool.connectIfFree();
        }

        @Override
        public void evict(Connection leased) {
            pool.evict(leased);
        }
    }

    /**
     * The pool's callbacks for its first connection's close, its idle check on the timer, its writers' checkpoint
     * cadence and HikariCP's start: one small class rather than four lambdas (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Callback implements Runnable {
        static final int FIRST_CLOSED = 0;
        static final int IDLE_CHECK = 1;
        static final int CHECKPOINT_SOON = 2;
        static final int START_HIKARI = 3;
        static final int START_HIKARI_SOON = 4;

        private final DatabasePool pool;
        private final int what;

        Callback(DatabasePool pool, int what) {
            this.pool = pool;
            this.what = what;
        }

        @Override
        public void run() {
            switch (what) {
                case FIRST_CLOSED -> pool.firstClosed();
                case IDLE_CHECK -> pool.closeIfIdle();
                case CHECKPOINT_SOON -> pool.maintenance.checkpointSoon();
                case START_HIKARI -> pool.startHikariQuietly();
                case START_HIKARI_SOON -> pool.startHikariSoon();
                default -> throw new IllegalStateException("no callback " + what);
            }
        }
    }

    /**
     * HikariCP's size follows the first connection and the growth connections, so that it tries to grow only when a
     * slot can be free (the slots themselves keep the bound, see GrowthConnections).
     */
    private final class Sizing implements GrowthConnections.Sizing {

        @Override
        public boolean firstOpen() {
            return first.isOpen();
        }

        @Override
        public void resized(int open, int idle) {
            HikariConfig settings = hikariSettings;
            if (settings == null) {
                return; // HikariCP starts with these counts applied (see hikari())
            }
            boolean firstOpen = first.isOpen();
            // HikariCP reads its size from its configuration at each decision. The idle growth connections are within
            // its size: it takes them (forHikari) before it opens any, so a borrower waiting in HikariCP while one
            // waits idle gets it; a size without them left that borrower waiting for a slot nobody would free.
            int maximum = Math.max(1, config.settings().pool().maximumPoolSize() - (firstOpen ? 1 : 0) - (open - idle));
            settings.setMaximumPoolSize(maximum);
            HikariPool pool = hikari;
            if (idle > 0 && pool != null) {
                // a minimum idle of its whole size makes HikariCP's adder take the idle growth connections through
                // the factory (forHikari), one per 30 ms, until none is left; asked once per connection waiting
                settings.setMinimumIdle(maximum);
                pool.addBagItem(idle);
            } else {
                settings.setMinimumIdle(Math.min(maximum, firstOpen ? 0 : config.settings().pool().minimumIdle()));
            }
        }
    }

    /** The application's connection for a lease; a lease that cannot be wrapped goes back to the pool. */
    private Connection wrap(Connection lease, Lease owner) throws SQLException {
        try {
            PhysicalConnection physical = lease.unwrap(PhysicalConnection.class);
            if (physical.isClosed()) {
                // HikariCP skips its validation for a connection used in the last 500 ms
                throw new ClosedUnderThePool();
            }
            return new ConnectionWrapper(lease, physical, owner);
        } catch (SQLException | RuntimeException | Error e) {
            giveBack(lease, e);
            throw e;
        }
    }

    /** An application lease ended without a connection of the pool's coming back (a borrow that failed). */
    @Override
    public void returned() {
        returned(false);
    }

    /** An application lease ended; {@code pooled} when one of the pool's own (not one beyond the size) came back. */
    private void returned(boolean pooled) {
        long now = System.nanoTime();
        if (pooled) {
            pooledGivenBackNanos = now;
        }
        lastUsedNanos = now; // before the count drops: whoever sees it idle sees the new time
        borrowed.decrementAndGet();
    }

    /**
     * Gives back what an idle pool need not hold until its next write: the descriptor of the writers' queue file
     * (a JVM touching many files keeps {@code maxIdlePools} pools open, each would otherwise hold one more).
     */
    void trimWhileIdle() {
        if (isIdle()) {
            factory.writerGate().closeProcessQueueIfFree();
        }
    }

    /** Whether the application holds no lease of this open pool. */
    boolean isIdle() {
        return borrowed.get() == 0 && !isClosed();
    }

    /** When the application last gave a lease back, by {@link System#nanoTime()}: least recently used closes first. */
    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Called by the registry, with its opening lock held, before it closes this pool for idleness: true when nothing
     * is borrowed (for the idle timeout at least, unless {@code anyIdle}), and then no getConnection can borrow from
     * it any more.
     */
    boolean retireIfIdle(boolean anyIdle) {
        if (closed.get() || borrowed.get() > 0) {
            return false;
        }
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(config.settings().pool().idleTimeoutMillis());
        if (!anyIdle && System.nanoTime() - lastUsedNanos < idleNanos) {
            return false;
        }
        retiring = true;
        if (borrowed.get() > 0) {
            retiring = false; // a getConnection counted itself meanwhile: it keeps the pool
            return false;
        }
        return true;
    }

    /**
     * On the driver's timer: idle for the timeout, so the registry is asked to close this pool. The asking runs on a
     * thread of its own: it takes the registry's lock, which an opener may hold while it waits for this pool to close,
     * and the timer must not wait on any pool.
     */
    private void closeIfIdle() {
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(config.settings().pool().idleTimeoutMillis());
        if (borrowed.get() > 0 || System.nanoTime() - lastUsedNanos < idleNanos || isClosed()
                || !idleCloseAsked.compareAndSet(false, true)) {
            return;
        }
        Thread asking = new Thread(() -> {
            try {
                PoolRegistry.instance().closeIfIdle(this);
            } finally {
                idleCloseAsked.set(false);
            }
        }, "enhanced-sqlite-idle-check " + poolName(config.location()));
        asking.setDaemon(true);
        asking.start();
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
        if (first != null && hikari == null) {
            PhysicalConnection own = first.lend();
            if (own != null) {
                return lendOwn(own, first, background, null);
            }
            // the application holds the first: background work gets a second connection, HikariCP starting for it
            // (its first run is an interval after the pool opened, past a short-lived process's end)
        }
        if (figures.getThreadsAwaitingConnection() > 0
                || figures.getActiveConnections() >= config.settings().pool().maximumPoolSize()) {
            return null;
        }
        return lease(background, null);
    }

    /**
     * Waits, until the deadline at most, for a moment when no connection is lent out, so that statements and
     * transactions running at exit end as the application wrote them instead of being cut off by close(). A 1 ms
     * poll: this runs once, at exit, and a lease returned to HikariCP signals nothing we could wait on.
     */
    void awaitIdle(long deadlineNanos) {
        while (figures.getActiveConnections() > 0 && deadlineNanos - System.nanoTime() > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void evict(Connection leased) {
        HikariPool pool = hikari;
        if (pool != null) { // a lease of a connection the pool lends itself is evicted by its Lease
            pool.evictConnection(leased);
        }
    }

    @Override
    public DatabaseConfig config() {
        return config;
    }

    @Override
    public boolean isClosed() {
        return retiring || closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closeOnce();
        } finally {
            closedFully.countDown();
        }
    }

    /**
     * Waits until a close begun on another thread has ended (the file checkpointed, the threads gone), or the
     * deadline ({@link System#nanoTime()}) passed; true when it ended.
     */
    boolean awaitClosed(long deadlineNanos) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return closedFully.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // a pool opened on the file while this one still closes would share its -shm
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeOnce() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        ScheduledFuture<?> start = hikariStart;
        if (start != null) {
            start.cancel(false);
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
        boolean finish = keepAlive == null && file != null && !replaced && !readOnly;
        // the pool's own idle connection checkpoints when it has one: opening another would cost a connection's
        // open and profile, in a JVM that closes a pool per file it touched
        boolean finished = finish && finishOnIdleConnection();
        HikariPool pool;
        BeyondTheSizeConnections beyondTheSize;
        synchronized (hikariLock) {
            hikariEnded = true;
            pool = hikari;
            beyondTheSize = beyond;
        }
        if (growth != null) {
            growth.close(); // first: HikariCP's adder may be waiting for a slot, and its shutdown waits for the adder
        }
        if (beyondTheSize != null) {
            beyondTheSize.close();
        }
        if (pool != null) {
            shutDown(pool);
        }
        if (first != null) {
            first.close();
        }
        threads.awaitEnded();
        if (keepAlive != null) {
            closeQuietly(keepAlive);
        } else if (finish && !finished && !file.replaced()) {
            finishFile();
        }
        if (finish && config.settings().replication().driverCheckpoints() && file.walLeft() && !file.replaced()) {
            closeAsTheLast();
        }
        factory.close(); // its connections are all closed now: the timeout thread and the native dictionaries go
    }

    /** What HikariDataSource.close does, without its INFO lines. */
    private void shutDown(HikariPool pool) {
        try {
            pool.shutdown();
        } catch (InterruptedException e) {
            LOG.warn("{}: interrupted while closing the pool's connections", config.location().poolKey());
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs optimize and a truncating checkpoint on one of the pool's idle connections, before HikariCP closes them
     * (the last to close removes the -wal and -shm). False when none is idle: a lease still out at exit or shutdown.
     */
    private boolean finishOnIdleConnection() {
        if (first != null) {
            PhysicalConnection own = first.lend();
            if (own != null) {
                try {
                    finish(own);
                } catch (SQLException e) {
                    LOG.warn("Closing {}: final optimize/checkpoint failed: {}", config.location().poolKey(),
                            e.getMessage());
                } finally {
                    first.giveBack(false);
                }
                return true;
            }
        }
        HikariPool pool = hikari;
        if (pool == null || figures.getActiveConnections() > 0 || figures.getIdleConnections() == 0) {
            return false;
        }
        try (Connection lease = pool.getConnection()) {
            finish(lease.unwrap(PhysicalConnection.class));
            return true;
        } catch (SQLException e) {
            LOG.warn("Closing {}: final optimize/checkpoint failed: {}", config.location().poolKey(), e.getMessage());
            return true; // the same failure on a connection of our own would help nobody
        }
    }

    /**
     * Every connection of the pool has closed, yet the -wal is still there. SQLite removes it (and the -shm) only on
     * a close that finds no other connection to the file, and connections of a pool close on several threads (HikariCP
     * closes its own on threads of its own, an aborted lease closes on the application's executor): when the last two
     * close at once, each can find the other still open, and both leave the files (two sqlite-jdbc connections closed
     * together did so 4 times in 300). A connection opened and closed now is the last, unless another process, or a
     * connection this pool does not own, has the file open; then the files must stay, and do.
     */
    private void closeAsTheLast() {
        try {
            factory.getConnection().close();
        } catch (SQLException e) {
            LOG.debug("{}: reopening to remove the -wal left at close failed", config.location().poolKey(), e);
        }
    }

    /**
     * Optimize, on a database of {@value #OPTIMIZE_FROM_PAGES} pages or more, and the truncating checkpoint unless a
     * replication tool owns checkpoints (see finishFile).
     */
    private void finish(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (config.settings().profile().optimizes()
                    && IncrementalVacuum.pages(connection) >= OPTIMIZE_FROM_PAGES) {
                statement.execute("PRAGMA optimize");
            }
            if (config.settings().replication().driverCheckpoints()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    /**
     * Below this size the close runs no optimize. It would analyze the tables the pool queried that have no
     * statistics yet, so a file a test creates and fills with a few rows got sqlite_stat1 and sqlite_stat4 tables
     * of its own and closed a good deal slower (a test suite's 300 files: 5% of its time in memory, more on disk);
     * statistics of a few rows help no plan. A database that grows past it is optimized at a later close or by
     * maintenance, and optimize analyzes a table again once its size has changed many-fold. 256 pages is 1 MiB at
     * SQLite's default page size.
     */
    static final int OPTIMIZE_FROM_PAGES = 256;

    /**
     * Runs optimize and a truncating checkpoint on a connection of our own once the pool's are closed. When
     * it closes as the last connection to the file, SQLite removes the -wal and -shm files; if another
     * process still has the file open they stay, as they must. With Litestream replicating the file there is no
     * checkpoint: a TRUNCATE waits out busy_timeout against Litestream's read transaction while holding the
     * checkpoint lock, which made each close take seconds and failed Litestream's own checkpoint meanwhile.
     */
    private void finishFile() {
        if (!config.settings().replication().driverCheckpoints() && !config.settings().profile().optimizes()) {
            return;
        }
        try (Connection connection = factory.getConnection()) {
            finish(connection);
        } catch (SQLException e) {
            LOG.warn("Closing {}: final optimize/checkpoint failed: {}", config.location().poolKey(), e.getMessage());
        }
    }

    /** The pool's figures as HikariCP reports them, the connections the pool lends itself counted with HikariCP's. */
    private final class Figures implements HikariPoolMXBean {

        private int ownActive() {
            return first != null ? (first.isLent() ? 1 : 0) + growth.lentCount() : 0;
        }

        private int ownIdle() {
            return first != null ? (first.isOpen() && !first.isLent() ? 1 : 0) + growth.idleCount() : 0;
        }

        @Override
        public int getActiveConnections() {
            HikariPool pool = hikari;
            // connections lent beyond the size are active, and part of the total (a lazy pool's slots count them)
            return ownActive() + (pool == null ? 0 : pool.getActiveConnections()) + lentBeyondTheSize();
        }

        @Override
        public int getIdleConnections() {
            HikariPool pool = hikari;
            return ownIdle() + (pool == null ? 0 : pool.getIdleConnections());
        }

        @Override
        public int getTotalConnections() {
            HikariPool pool = hikari;
            // a lazily started pool counts its connections' slots: every kind, each once, even while one changes hands
            return first != null ? growth.slotsHeld()
                    : (pool == null ? 0 : pool.getTotalConnections()) + lentBeyondTheSize();
        }

        @Override
        public int getThreadsAwaitingConnection() {
            HikariPool pool = hikari;
            return pool == null ? 0 : pool.getThreadsAwaitingConnection();
        }

        @Override
        public void softEvictConnections() {
            HikariPool pool = hikari;
            if (pool != null) {
                pool.softEvictConnections();
            }
        }

        @Override
        public void suspendPool() {
            HikariPool pool = hikari;
            if (pool != null) {
                pool.suspendPool();
            }
        }

        @Override
        public void resumePool() {
            HikariPool pool = hikari;
            if (pool != null) {
                pool.resumePool();
            }
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
