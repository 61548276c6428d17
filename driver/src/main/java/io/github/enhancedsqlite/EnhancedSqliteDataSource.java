package io.github.enhancedsqlite;

import io.github.enhancedsqlite.config.ConfigParser;
import io.github.enhancedsqlite.logging.QuietLogging;
import io.github.enhancedsqlite.pool.ConnectionSource;
import io.github.enhancedsqlite.pool.PoolRegistry;
import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A JavaBean DataSource for frameworks that take one: set {@code url} and any setting, then get connections.
 * Settings given here win over the URL's query. It shares the per-database pool with DriverManager callers;
 * {@link #close()} closes that pool.
 */
public final class EnhancedSqliteDataSource implements DataSource, Closeable {

    /** Before anything logs: an application without an SLF4J provider must not get SLF4J's notice on stderr. */
    private static final boolean LOGGING_BOUND = QuietLogging.bind();

    private volatile String url;
    private final Properties properties = new Properties();
    private volatile ConnectionSource source;
    private PrintWriter logWriter;
    private int loginTimeoutSeconds;

    public EnhancedSqliteDataSource() {
    }

    public EnhancedSqliteDataSource(String url) {
        setUrl(url);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return source().connect();
    }

    /** SQLite has no accounts: the user must be empty, as for the driver; the password goes to sqlite-jdbc. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties credentials = snapshot();
        if (username != null) {
            credentials.setProperty("user", username);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        return PoolRegistry.instance().connect(requireUrl(), credentials);
    }

    private ConnectionSource source() throws SQLException {
        ConnectionSource current = source;
        if (current == null || current.isClosed()) {
            synchronized (this) {
                current = source;
                if (current == null || current.isClosed()) {
                    current = PoolRegistry.instance().source(requireUrl(), snapshot());
                    source = current;
                }
            }
        }
        return current;
    }

    private String requireUrl() throws InvalidSettingException {
        String current = url;
        if (current == null) {
            throw new InvalidSettingException("EnhancedSqliteDataSource has no url; set it, e.g. setUrl(\""
                    + ConfigParser.PREFIX + "app.db\").");
        }
        return current;
    }

    private Properties snapshot() {
        synchronized (properties) {
            Properties copy = new Properties();
            copy.putAll(properties);
            return copy;
        }
    }

    /** Closes this DataSource's pool (checkpointing the WAL); a later getConnection opens a new one. */
    @Override
    public void close() {
        ConnectionSource current;
        synchronized (this) {
            current = source;
            source = null;
        }
        if (current != null) {
            PoolRegistry.instance().close(current);
        }
    }

    public String getUrl() {
        return url;
    }

    /** The {@code jdbc:enhanced-sqlite:} URL; a plain {@code jdbc:sqlite:} URL is accepted and upgraded. */
    public void setUrl(String url) {
        if (url != null && url.startsWith("jdbc:sqlite:")) {
            url = ConfigParser.PREFIX + url.substring("jdbc:sqlite:".length());
        }
        this.url = url;
        reset();
    }

    public String getProfile() {
        return getProperty("profile");
    }

    public void setProfile(String profile) {
        setProperty("profile", profile);
    }

    public void setMaximumPoolSize(int maximumPoolSize) {
        setProperty("maximumPoolSize", Integer.toString(maximumPoolSize));
    }

    public void setMinimumIdle(int minimumIdle) {
        setProperty("minimumIdle", Integer.toString(minimumIdle));
    }

    public void setConnectionTimeout(long connectionTimeoutMillis) {
        setProperty("connectionTimeout", Long.toString(connectionTimeoutMillis));
    }

    public void setBusyTimeout(int busyTimeoutMillis) {
        setProperty("busy_timeout", Integer.toString(busyTimeoutMillis));
    }

    /** Any setting by its URL key: a pragma override, a pool key or a sqlite-jdbc key. Checked on first use. */
    public void setProperty(String key, String value) {
        synchronized (properties) {
            if (value == null) {
                properties.remove(key);
            } else {
                properties.setProperty(key, value);
            }
        }
        reset();
    }

    public String getProperty(String key) {
        synchronized (properties) {
            return properties.getProperty(key);
        }
    }

    /** Adds every entry as {@link #setProperty}; for frameworks that bind a map of settings. */
    public void setProperties(Properties settings) {
        for (String key : settings.stringPropertyNames()) {
            setProperty(key, settings.getProperty(key));
        }
    }

    public Properties getProperties() {
        return snapshot();
    }

    /** Configuration changed: the next getConnection resolves again (and meets a conflict if the pool is open). */
    private synchronized void reset() {
        source = null;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

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
        return Logger.getLogger("io.github.enhancedsqlite");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("EnhancedSqliteDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "EnhancedSqliteDataSource[" + url + "]";
    }
}
