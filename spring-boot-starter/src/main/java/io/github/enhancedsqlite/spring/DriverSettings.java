package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.EnhancedSqliteDriver;
import io.github.enhancedsqlite.InvalidSettingException;
import java.sql.DriverPropertyInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The driver's settings given as {@code spring.datasource.enhanced.<key>=<value>}. Spring's relaxed names
 * ({@code busy-timeout}, {@code busyTimeout}, {@code BUSY_TIMEOUT} in the environment) all mean the driver's key
 * {@code busy_timeout}: a key is matched to the driver's list ({@code Driver.getPropertyInfo}) ignoring case, dashes,
 * underscores and dots, because Spring strips underscores from map keys that are not written in brackets.
 */
final class DriverSettings {

    static final String PREFIX = "spring.datasource.enhanced";

    private DriverSettings() {
    }

    /** The settings in the environment, under the driver's own key names. */
    static Properties from(Environment environment) throws InvalidSettingException {
        Map<String, String> given = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, String.class))
                .orElseGet(Map::of);
        Map<String, String> driverKeys = driverKeysByLooseName();
        Properties settings = new Properties();
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String key = driverKeys.get(loose(entry.getKey()));
            if (key == null) {
                throw new InvalidSettingException("Unknown setting " + PREFIX + "." + entry.getKey()
                        + ": enhanced-sqlite-jdbc takes " + String.join(", ", new TreeMap<>(driverKeys).values()));
            }
            settings.setProperty(key, entry.getValue());
        }
        return settings;
    }

    private static Map<String, String> driverKeysByLooseName() {
        DriverPropertyInfo[] keys = new EnhancedSqliteDriver().getPropertyInfo(EnhancedSqliteUrlCondition.PREFIX,
                new Properties());
        return Arrays.stream(keys).collect(Collectors.toMap(key -> loose(key.name), key -> key.name,
                (first, second) -> first, LinkedHashMap::new));
    }

    private static String loose(String key) {
        return key.replaceAll("[-_.\\[\\]]", "").toLowerCase(Locale.ROOT);
    }
}
