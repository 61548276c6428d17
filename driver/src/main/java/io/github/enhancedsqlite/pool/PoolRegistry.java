package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.InvalidSettingException;
import io.github.enhancedsqlite.config.ConfigParser;
import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import io.github.enhancedsqlite.logging.QuietLogging;
import java.sql.Connection;
import java.sql.DriverAction;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All open databases of this JVM: one {@link ConnectionSource} per database, keyed by its canonical path, so
 * every URL and DataSource that names one file shares one pool. Also remembers which source each URL resolved
 * to, so the per-operation {@code DriverManager.getConnection} path parses nothing; its one file system call is
 * the pool's check that the path still names its file ({@link PoolFile}). Pools of files close when idle (see
 * {@link DatabasePool}): for {@code poolIdleTimeout}, and beyond {@code maxIdlePools} when another pool opens.
 */
public final class PoolRegistry implements DriverAction {

    /** Before anything logs: an application without an SLF4J provider must not get SLF4J's notice on stderr. */
    private static final boolean LOGGING_BOUND = QuietLogging.bind();
    private static final Logger LOG = LoggerFactory.getLogger(PoolRegistry.class);
    private static final PoolRegistry INSTANCE = new PoolRegistry();
    /** Bounds the URL cache for applications that build URLs per call; a miss only costs a parse. */
    private static final int MAX_CACHED_URLS = 1024;
    /**
     * How long the exit waits for connections still lent out: long enough for statements and short transactions
     * to end as written, short enough that a leaked connection delays the exit only a moment.
     */
    private static final long EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long the exit waits for the pools to close (in parallel) after the grace: a checkpoint cut off is safe
     * (SQLite recovers it at the next open), an exit that hangs on a slow disk is not.
     */
    private static final long EXIT_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Pools an opener leaves closing on the {@link PoolCloser}'s thread; beyond it the opener closes the pool it
     * retires itself. Each pool still closing holds its file, -wal and -shm open: a closer slower than the opener (a
     * slow fsync, a checkpoint waiting out another process's reader) would otherwise let them pile up without bound
     * in a JVM that touches hundreds of files under a low {@code ulimit -n}.
     */
    private static final int MAX_CLOSING_IN_BACKGROUND = 1;

    private final Map<String, ConnectionSource> byDatabase = new ConcurrentHashMap<>();
    private final Map<String, ConnectionSource> byUrl = new ConcurrentHashMap<>();
    private final Object opening = new Object();
    /**
     * Pools of files retired for idleness and still closing, by database, on the {@link PoolCloser}'s thread: closing
     * waits for a checkpoint and for the pool's threads, which would otherwise hold up the getConnection that opens a
     * new file. A pool for the same file opens only once its predecessor here has closed.
     */
    private final Map<String, DatabasePool> closing = new ConcurrentHashMap<>();
    /** Threads that remove the exit hook after the last retired pool closed (see {@link #closeInBackground}). */
    private final Set<Thread> closers = ConcurrentHashMap.newKeySet();
    /**
     * Closes the pools at JVM exit; registered only while a pool is open (guarded by {@link #opening}): a hook left
     * registered would keep this class loader, and so the whole driver, alive after an application server undeployed
     * it.
     */
    private Thread exitHook;
    /** Set by the exit hook: a pool opened after it closed the others would never be closed. */
    private volatile boolean exiting;

    private PoolRegistry() {
    }

    public static PoolRegistry instance() {
        return INSTANCE;
    }

    public Connection connect(String url, Properties info) throws SQLException {
        return source(url, info).connect();
    }

    /** The source for a URL and its properties, opening a pool on first use. */
    public ConnectionSource source(String url, Properties info) throws SQLException {
        String cacheKey = info == null || info.isEmpty() ? url : url + '\u0000' + sortedText(info);
        ConnectionSource source = byUrl.get(cacheKey);
        if (source == null || source.isClosed()) {
            source = open(ConfigParser.parse(url, info));
            if (byUrl.size() >= MAX_CACHED_URLS) {
                byUrl.clear();
            }
            byUrl.put(cacheKey, source);
        }
        return source;
    }

    /** The properties as sorted text: a key that is no String must reach the parser's error, not a ClassCastException. */
    private static String sortedText(Properties info) {
        Map<String, String> sorted = new TreeMap<>();
        info.forEach((key, value) -> sorted.put(String.valueOf(key), String.valueOf(value)));
        return sorted.toString();
    }

    private ConnectionSource open(DatabaseConfig config) throws SQLException {
        if (!config.location().isPooled()) {
            return new PrivateMemorySource(config);
        }
        String key = config.location().poolKey();
        ConnectionSource source = byDatabase.get(key);
        if (source == null || source.isClosed()) {
            synchronized (opening) {
                source = byDatabase.get(key);
                if (source == null || source.isClosed()) {
                    if (exiting) {
                        throw exiting(key);
                    }
                    if (!installExitHook()) {
                        throw exiting(key);
                    }
                    closeIdlePoolsBeyond(config.settings().pool().maxIdlePools());
                    DatabasePool previous = closing.get(key);
                    if (previous != null) {
                        previous.awaitClosed(Long.MAX_VALUE); // two pools on one file would not share a writer turn
                    }
                    try {
                        source = new DatabasePool(config);
                    } catch (SQLException | RuntimeException | Error e) {
                        byDatabase.remove(key); // a closed pool of the key must not count as open
                        removeExitHookIfIdle();
                        throw e;
                    }
                    byDatabase.put(key, source);
                }
            }
        }
        if (!source.config().settings().equals(config.settings())) {
            throw new InvalidSettingException("Database " + key + " is already open in this JVM with other settings ("
                    + config.settings().differenceFrom(source.config().settings()) + "). Every URL and DataSource"
                    + " for one database must ask for the same settings; close the open pool first"
                    + " (EnhancedSqlite.shutdown() or its DataSource's close()) to change them.");
        }
        return source;
    }

    /**
     * The file of {@code stale} was deleted or replaced: closes that pool (a connection opened at the path while
     * one of its connections is open would share the old file's -shm with it) and opens one on the file now at the
     * path. Threads noticing it together get the one new pool.
     */
    ConnectionSource reopen(DatabasePool stale) throws SQLException {
        String key = stale.config().location().poolKey();
        synchronized (opening) {
            ConnectionSource current = byDatabase.get(key);
            if (current == null || current == stale || current.isClosed()) {
                close(stale);
            }
        }
        return open(stale.config());
    }

    /** The pool now open for the database of a pool that was closed for idleness, opening it if need be. */
    ConnectionSource current(DatabasePool closed) throws SQLException {
        return open(closed.config());
    }

    /** The pool's idle timeout passed: closes it unless a getConnection came first. */
    void closeIfIdle(DatabasePool pool) {
        synchronized (opening) {
            if (byDatabase.get(pool.config().location().poolKey()) == pool && pool.retireIfIdle(false)) {
                closeInBackground(List.of(pool));
            }
        }
    }

    /**
     * Called with {@link #opening} held, for pools that retired: forgets them and has the {@link PoolCloser} close
     * them. A getConnection that meets one of them retiring comes here, finds it closing, and waits for it in open().
     */
    private void closeInBackground(List<DatabasePool> retired) {
        for (DatabasePool pool : retired) {
            // listed as closing before it is forgotten: openDatabases(), which takes no lock, never misses it
            closing.put(pool.config().location().poolKey(), pool);
            forget(pool);
        }
        PoolCloser.execute(() -> {
            try {
                for (DatabasePool pool : retired) {
                    pool.close();
                }
            } finally {
                for (DatabasePool pool : retired) {
                    closing.remove(pool.config().location().poolKey(), pool);
                }
                if (byDatabase.isEmpty() && closing.isEmpty()) {
                    removeExitHookSoon();
                }
            }
        });
    }

    /**
     * The last retired pool closed: the exit hook and the driver's threads go, on a thread of their own, as
     * {@link #removeExitHookIfIdle} takes {@link #opening}, which an opener may hold while it waits for a pool queued
     * on the closer's thread. Rare: a JVM that keeps any pool open never comes here.
     */
    private void removeExitHookSoon() {
        Thread remover = new Thread(() -> {
            try {
                removeExitHookIfIdle();
            } finally {
                closers.remove(Thread.currentThread());
            }
        }, PoolCloser.THREAD_NAME + "-last");
        remover.setDaemon(true);
        closers.add(remover);
        remover.start();
    }

    /** Waits for the pools closing in the background; true when all closed before the deadline. */
    private boolean awaitClosing(long deadlineNanos) {
        for (DatabasePool pool : new ArrayList<>(closing.values())) {
            if (!pool.awaitClosed(deadlineNanos)) {
                return false;
            }
        }
        for (Thread closer : new ArrayList<>(closers)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return !closer.isAlive();
            }
            try {
                TimeUnit.NANOSECONDS.timedJoin(closer, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Called with {@link #opening} held, before a pool opens: closes the least recently used idle pools until at
     * most {@code maxIdle} remain, so a JVM that touches hundreds of files keeps descriptors only for a few.
     */
    private void closeIdlePoolsBeyond(int maxIdle) {
        List<DatabasePool> idle = new ArrayList<>();
        for (ConnectionSource source : byDatabase.values()) {
            // poolIdleTimeout=0 asks for a pool that stays open until shutdown: it is not counted either
            if (source instanceof DatabasePool pool && pool.isIdle()
                    && pool.config().location().kind() == DatabaseLocation.Kind.FILE
                    && pool.config().settings().pool().idleTimeoutMillis() > 0) {
                idle.add(pool);
            }
        }
        if (idle.size() <= maxIdle) {
            for (DatabasePool pool : idle) {
                pool.trimWhileIdle();
            }
            return;
        }
        idle.sort(Comparator.comparingLong(DatabasePool::lastUsedNanos));
        List<DatabasePool> retired = new ArrayList<>();
        for (int i = 0; i < idle.size() - maxIdle; i++) {
            if (idle.get(i).retireIfIdle(true)) {
                retired.add(idle.get(i));
            }
        }
        for (int i = idle.size() - maxIdle; i < idle.size(); i++) {
            idle.get(i).trimWhileIdle(); // kept open: only what it holds for writers goes
        }
        List<DatabasePool> inBackground = new ArrayList<>();
        for (DatabasePool pool : retired) {
            if (closing.size() + inBackground.size() < MAX_CLOSING_IN_BACKGROUND) {
                inBackground.add(pool);
            } else {
                closeNow(pool);
            }
        }
        if (!inBackground.isEmpty()) {
            closeInBackground(inBackground);
        }
    }

    /**
     * Called with {@link #opening} held, for a retired pool the closer's thread has no room for: closed on the
     * opener's thread, so the files held by pools still closing stay bounded. Closing takes no lock of the registry.
     */
    private void closeNow(DatabasePool pool) {
        String key = pool.config().location().poolKey();
        closing.put(key, pool); // listed until closed, as in closeInBackground
        forget(pool);
        try {
            pool.close();
        } finally {
            closing.remove(key, pool);
        }
    }

    /** A retired pool is no longer served for its database or for any URL. */
    private void forget(DatabasePool pool) {
        byDatabase.remove(pool.config().location().poolKey(), pool);
        byUrl.values().removeIf(cached -> cached == pool);
    }

    /** Closes one source and forgets it; later URLs naming its database open a new one. */
    public void close(ConnectionSource source) {
        source.close(); // listed until closed: openDatabases() names no pool that is gone while it still checkpoints
        byDatabase.values().remove(source);
        byUrl.values().removeIf(cached -> cached == source);
        removeExitHookIfIdle();
    }

    /**
     * Closes every pool (WAL checkpointed, -wal and -shm removed where this JVM was the last user) and what the
     * private in-memory sources hold; afterwards no thread or exit hook of the driver is left.
     */
    public void closeAll() {
        Set<ConnectionSource> open = Collections.newSetFromMap(new IdentityHashMap<>());
        open.addAll(byDatabase.values());
        open.addAll(byUrl.values());
        byDatabase.clear();
        byUrl.clear();
        ParallelClose.close(open, Long.MAX_VALUE);
        awaitClosing(Long.MAX_VALUE);
        removeExitHookIfIdle();
    }

    /** DriverManager deregistered the driver: {@link #closeAll}. */
    @Override
    public void deregister() {
        closeAll();
    }

    /**
     * The JVM exit. Statements and transactions running now get a moment to end as written (close() would cut
     * them off and abort their connections): the pools keep lending, for shutdown hooks of the application too,
     * until none has a connection lent out or the grace ends. Then every pool closes and checkpoints, and no new
     * pool opens: nothing would close it, and its -wal and -shm would stay behind.
     */
    private void closeAllAtExit() {
        long deadline = System.nanoTime() + EXIT_GRACE_NANOS;
        for (ConnectionSource source : new ArrayList<>(byDatabase.values())) {
            if (source instanceof DatabasePool pool) {
                pool.awaitIdle(deadline);
            }
        }
        Set<ConnectionSource> open = Collections.newSetFromMap(new IdentityHashMap<>());
        synchronized (opening) {
            exiting = true;
            open.addAll(byDatabase.values());
            open.addAll(byUrl.values());
            byDatabase.clear();
            byUrl.clear();
        }
        long closeDeadline = System.nanoTime() + EXIT_CLOSE_NANOS;
        if (!(ParallelClose.close(open, closeDeadline) & awaitClosing(closeDeadline))) {
            LOG.warn("Some pools were still closing {} ms into the JVM exit; the exit goes on (SQLite recovers a WAL"
                    + " left behind at the next open)", TimeUnit.NANOSECONDS.toMillis(EXIT_CLOSE_NANOS));
        }
    }

    private static SQLException exiting(String database) {
        return new SQLNonTransientConnectionException("The JVM is exiting: the pools of this driver are closed,"
                + " and a pool opened now for " + database + " would never be closed.", "08003");
    }

    /** The databases this JVM has open, by canonical path. */
    public List<String> openDatabases() {
        Set<String> open = new TreeSet<>(byDatabase.keySet());
        open.addAll(closing.keySet()); // still holding the file until it has closed
        return new ArrayList<>(open);
    }

    /**
     * Called with {@link #opening} held, before a pool opens; false when the JVM is already exiting (the exit began
     * with no pool open, so no hook of ours runs to close a pool opened now).
     */
    private boolean installExitHook() {
        if (exitHook == null) {
            Thread hook = new Thread(new ExitHook(this), "enhanced-sqlite-shutdown");
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException exitRunning) {
                return false;
            }
            exitHook = hook;
        }
        return true;
    }

    /** The last pool closed: the exit has nothing left to close, and the pools' timer nothing left to time. */
    private void removeExitHookIfIdle() {
        synchronized (opening) {
            if (!byDatabase.isEmpty() || !closing.isEmpty()) {
                return;
            }
            DriverTimer.stop(); // its tasks never take this lock, so waiting for its thread here cannot deadlock
            PoolCloser.stop(); // nor do the closer's
            if (exitHook == null) {
                return;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException exitRunning) {
                return; // the JVM is exiting: the hook runs (or is running) and must stay registered
            }
            exitHook = null;
        }
    }

    /** The exit hook's task: a named class rather than a method reference (docs/ARCHITECTURE.md, "Start-up cost"). */
    private static final class ExitHook implements Runnable {
        private final PoolRegistry registry;

        ExitHook(PoolRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void run() {
            registry.closeAllAtExit();
        }
    }
}
