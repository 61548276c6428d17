package io.github.enhancedsqlite.config;

/**
 * The driver's own keys other than pragmas. They are consumed by the driver and never reach sqlite-jdbc.
 * Pool keys use HikariCP's names so a reader who knows HikariCP knows them.
 */
public enum Setting {
    PROFILE("profile", null, "96gb",
            "Pragma profile applied to every connection: " + Profile.keys() + "."),
    MAXIMUM_POOL_SIZE("maximumPoolSize", ValueRule.integer(1, 1000), "10",
            "Most physical connections the pool keeps open for one database file."),
    MINIMUM_IDLE("minimumIdle", ValueRule.integer(0, 1000), "1",
            "Idle physical connections the pool keeps ready (at most maximumPoolSize)."),
    CONNECTION_TIMEOUT("connectionTimeout", ValueRule.integer(250, Integer.MAX_VALUE), "30000",
            "Milliseconds getConnection waits for a free pooled connection before failing."),
    STATEMENT_CACHE_SIZE("statementCacheSize", ValueRule.integer(0, 10_000), "64",
            "Prepared statements each pooled connection keeps compiled for reuse (0 turns the cache off)."),
    USER("user", null, "",
            "Accepted for frameworks that always send one; SQLite has no accounts, so it must be empty.");

    private final String key;
    private final ValueRule rule;
    private final String defaultValue;
    private final String description;

    Setting(String key, ValueRule rule, String defaultValue, String description) {
        this.key = key;
        this.rule = rule;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    ValueRule rule() {
        return rule;
    }

    static Setting forKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equalsIgnoreCase(key)) {
                return setting;
            }
        }
        return null;
    }
}
