package io.github.enhancedsqlite;

import io.github.enhancedsqlite.config.ConfigParser;
import io.github.enhancedsqlite.config.Pragma;
import io.github.enhancedsqlite.config.Profile;
import io.github.enhancedsqlite.config.Setting;
import io.github.enhancedsqlite.pool.PoolRegistry;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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

    private static final EnhancedSqliteDriver INSTANCE = new EnhancedSqliteDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE, PoolRegistry.instance()::closeAll);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
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
        List<DriverPropertyInfo> keys = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String defaultValue = setting == Setting.MINIMUM_IDLE
                    ? Setting.MAXIMUM_POOL_SIZE.defaultValue() : setting.defaultValue();
            DriverPropertyInfo key = property(setting.key(), defaultValue, setting.description());
            if (setting == Setting.PROFILE) {
                key.choices = profileKeys();
            } else if (setting == Setting.LOG_PARAMETERS) {
                key.choices = new String[] {"false", "true"};
            }
            keys.add(key);
        }
        Profile defaults = Profile.NINETY_SIX_GB;
        for (Pragma pragma : Pragma.values()) {
            String value = defaults.pragmas().get(pragma);
            keys.add(property(pragma.key(), value, pragma.description() + " Default comes from the profile ("
                    + defaults.key() + ": " + (value == null ? "not set" : value) + ")."));
        }
        for (String key : ConfigParser.sqliteJdbcKeys()) {
            DriverPropertyInfo passThrough = property(key, null, "sqlite-jdbc's own setting, passed through to it: "
                    + ConfigParser.sqliteJdbcAccepted(key) + ".");
            passThrough.choices = ConfigParser.sqliteJdbcChoices(key);
            keys.add(passThrough);
        }
        return keys.toArray(new DriverPropertyInfo[0]);
    }

    private static DriverPropertyInfo property(String name, String value, String description) {
        DriverPropertyInfo info = new DriverPropertyInfo(name, value);
        info.description = description;
        return info;
    }

    private static String[] profileKeys() {
        Profile[] profiles = Profile.values();
        String[] keys = new String[profiles.length];
        for (int i = 0; i < profiles.length; i++) {
            keys[i] = profiles[i].key();
        }
        return keys;
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
