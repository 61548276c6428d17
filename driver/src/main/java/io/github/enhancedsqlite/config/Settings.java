package io.github.enhancedsqlite.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a URL and its properties ask for, parsed, validated and immutable. Two URLs that spell one file
 * differently but ask for equal settings share a pool; unequal settings for one file are a conflict.
 */
public final class Settings {

    private final Profile profile;
    private final Map<Pragma, String> pragmas;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final long connectionTimeoutMillis;
    private final int statementCacheSize;
    private final SortedMap<String, String> sqliteProperties;

    Settings(Profile profile, Map<Pragma, String> pragmas, int maximumPoolSize, int minimumIdle,
             long connectionTimeoutMillis, int statementCacheSize, SortedMap<String, String> sqliteProperties) {
        this.profile = profile;
        this.pragmas = Collections.unmodifiableMap(pragmas);
        this.maximumPoolSize = maximumPoolSize;
        this.minimumIdle = minimumIdle;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
        this.statementCacheSize = statementCacheSize;
        this.sqliteProperties = Collections.unmodifiableSortedMap(sqliteProperties);
    }

    public Profile profile() {
        return profile;
    }

    /** The pragma values applied to each new connection, in application order, profile and overrides merged. */
    public Map<Pragma, String> pragmas() {
        return pragmas;
    }

    public int maximumPoolSize() {
        return maximumPoolSize;
    }

    public int minimumIdle() {
        return minimumIdle;
    }

    public long connectionTimeoutMillis() {
        return connectionTimeoutMillis;
    }

    public int statementCacheSize() {
        return statementCacheSize;
    }

    /** sqlite-jdbc's own keys, passed through untouched. */
    public SortedMap<String, String> sqliteProperties() {
        return sqliteProperties;
    }

    /** A fresh copy each call: sqlite-jdbc may keep or change the Properties it is given. */
    public Properties sqlitePropertiesCopy() {
        Properties copy = new Properties();
        copy.putAll(sqliteProperties);
        return copy;
    }

    /** Each setting whose value differs, as "key: open with A, asked for B", for a conflict message. */
    public String differenceFrom(Settings open) {
        List<String> differences = new ArrayList<>();
        addIfDifferent(differences, "profile", open.profile.key(), profile.key());
        for (Pragma pragma : Pragma.values()) {
            addIfDifferent(differences, pragma.key(), open.pragmas.get(pragma), pragmas.get(pragma));
        }
        addIfDifferent(differences, "maximumPoolSize", open.maximumPoolSize, maximumPoolSize);
        addIfDifferent(differences, "minimumIdle", open.minimumIdle, minimumIdle);
        addIfDifferent(differences, "connectionTimeout", open.connectionTimeoutMillis, connectionTimeoutMillis);
        addIfDifferent(differences, "statementCacheSize", open.statementCacheSize, statementCacheSize);
        SortedMap<String, String> keys = new TreeMap<>(open.sqliteProperties);
        keys.putAll(sqliteProperties);
        for (String key : keys.keySet()) {
            addIfDifferent(differences, key, open.sqliteProperties.get(key), sqliteProperties.get(key));
        }
        return String.join("; ", differences);
    }

    private static void addIfDifferent(List<String> differences, String key, Object open, Object asked) {
        if (!Objects.equals(open, asked)) {
            differences.add(key + ": open with " + (open == null ? "unset" : open) + ", asked for "
                    + (asked == null ? "unset" : asked));
        }
    }

    private String poolSummary() {
        return "maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", connectionTimeout=" + connectionTimeoutMillis + ", statementCacheSize=" + statementCacheSize;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Settings)) {
            return false;
        }
        Settings that = (Settings) o;
        return profile == that.profile && pragmas.equals(that.pragmas) && maximumPoolSize == that.maximumPoolSize
                && minimumIdle == that.minimumIdle && connectionTimeoutMillis == that.connectionTimeoutMillis
                && statementCacheSize == that.statementCacheSize
                && sqliteProperties.equals(that.sqliteProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, pragmas, maximumPoolSize, minimumIdle, connectionTimeoutMillis, statementCacheSize,
                sqliteProperties);
    }

    @Override
    public String toString() {
        return "profile=" + profile.key() + ", pragmas=" + pragmas + ", " + poolSummary()
                + (sqliteProperties.isEmpty() ? "" : ", sqlite-jdbc=" + sqliteProperties);
    }
}
