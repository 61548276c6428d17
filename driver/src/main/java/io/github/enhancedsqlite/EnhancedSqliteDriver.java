package io.github.enhancedsqlite;

import io.github.enhancedsqlite.config.ConfigParser;
import io.github.enhancedsqlite.config.PropertyInfo;
import io.github.enhancedsqlite.logging.QuietLogging;
import io.github.enhancedsqlite.pool.PoolRegistry;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The {@code jdbc:enhanced-sqlite:} driver. Found by DriverManager through META-INF/services; deregistering
 * it closes its pools.
 */
public final class EnhancedSqliteDriver implements Driver {

    public static final String PREFIX = ConfigParser.PREFIX;

    static final int MAJOR_VERSION = 0;
    static final int MINOR_VERSION = 1;

    /** Before anything logs: an application without an SLF4J provider must not get SLF4J's notice on stderr. */
    private static final boolean LOGGING_BOUND = QuietLogging.bind();

    private static final EnhancedSqliteDriver INSTANCE = new EnhancedSqliteDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE, PoolRegistry.instance()); // deregistering closes the pools
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** For ServiceLoader and frameworks that create the driver from its class name; all instances share the pools. */
    public EnhancedSqliteDriver() {
    }

    /** The instance registered with DriverManager, for {@code DriverManager.deregisterDriver}. */
    public static EnhancedSqliteDriver registered() {
        return INSTANCE;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // the JDBC contract: another driver's URL is not an error
        }
        return PoolRegistry.instance().connect(url, info);
    }

    @Override
    public boolean acceptsURL(String url) {
        return ConfigParser.accepts(url);
    }

    /** Every key this driver takes, with its default and meaning; sqlite-jdbc's own keys follow ours. */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return PropertyInfo.all();
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    /** SQLite does not meet full SQL-92 entry level, which jdbcCompliant() promises. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("io.github.enhancedsqlite");
    }
}
