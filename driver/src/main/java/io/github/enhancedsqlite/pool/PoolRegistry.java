package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.InvalidSettingException;
import io.github.enhancedsqlite.config.ConfigParser;
import io.github.enhancedsqlite.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All open databases of this JVM: one {@link ConnectionSource} per database, keyed by its canonical path, so
 * every URL and DataSource that names one file shares one pool. Also remembers which source each URL resolved
 * to, so the per-operation {@code DriverManager.getConnection} path parses nothing and touches no file system.
 */
public final class PoolRegistry {

    private static final PoolRegistry INSTANCE = new PoolRegistry();
    /** Bounds the URL cache for applications that build URLs per call; a miss only costs a parse. */
    private static final int MAX_CACHED_URLS = 1024;

    private final Map<String, ConnectionSource> byDatabase = new ConcurrentHashMap<>();
    private final Map<String, ConnectionSource> byUrl = new ConcurrentHashMap<>();
    private final Object opening = new Object();
    private volatile boolean shutdownHookAdded;

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
                    addShutdownHookOnce();
                    source = new DatabasePool(config);
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

    /** Closes one source and forgets it; later URLs naming its database open a new one. */
    public void close(ConnectionSource source) {
        byDatabase.values().remove(source);
        byUrl.values().removeIf(cached -> cached == source);
        source.close();
    }

    /** Closes every pool: WAL checkpointed, -wal and -shm removed where this JVM was the last user. */
    public void closeAll() {
        List<ConnectionSource> open = new ArrayList<>(byDatabase.values());
        byDatabase.clear();
        byUrl.clear();
        for (ConnectionSource source : open) {
            source.close();
        }
    }

    /** The databases this JVM has open, by canonical path. */
    public List<String> openDatabases() {
        return new ArrayList<>(new TreeMap<>(byDatabase).keySet());
    }

    private void addShutdownHookOnce() {
        if (!shutdownHookAdded) {
            shutdownHookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "enhanced-sqlite-shutdown"));
        }
    }
}
