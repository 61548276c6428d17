package io.github.enhancedsqlite.config;

import java.sql.DriverPropertyInfo;
import java.util.ArrayList;
import java.util.List;

/** What {@code Driver.getPropertyInfo} lists: every key the driver takes, with its default and meaning. */
public final class PropertyInfo {

    private PropertyInfo() {
    }

    /** The driver's own keys, then every pragma with the default profile's value, then sqlite-jdbc's keys. */
    public static DriverPropertyInfo[] all() {
        List<DriverPropertyInfo> keys = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String defaultValue = setting == Setting.MINIMUM_IDLE
                    ? Setting.MAXIMUM_POOL_SIZE.defaultValue() : setting.defaultValue();
            DriverPropertyInfo key = property(setting.key(), defaultValue, setting.description());
            if (setting == Setting.PROFILE) {
                key.choices = profileKeys();
            } else if (setting == Setting.LOG_PARAMETERS) {
                key.choices = new String[] {"false", "true"};
            } else if (setting == Setting.REPLICATION) {
                key.choices = new String[] {"none", "litestream"};
            }
            keys.add(key);
        }
        Profile defaults = Profile.NINETY_SIX_GB;
        for (Pragma pragma : Pragma.values()) {
            String value = defaults.pragmas().get(pragma);
            keys.add(property(pragma.key(), value, pragma.description() + " Default comes from the profile ("
                    + defaults.key() + ": " + (value == null ? "not set" : value) + ")."));
        }
        for (String key : KnownKeys.SQLITE_JDBC.keySet().stream().sorted().toList()) {
            DriverPropertyInfo passThrough = property(key, null, "sqlite-jdbc's own setting, passed through to it: "
                    + KnownKeys.sqliteJdbcRule(key).accepted() + ".");
            passThrough.choices = KnownKeys.SQLITE_JDBC.get(key);
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
}
