package io.github.enhancedsqlite.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;

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

    /** What differs between these settings and {@code other}, for a conflict message. */
    public String differenceFrom(Settings other) {
        List<String> differences = new ArrayList<>();
        if (profile != other.profile) {
            differences.add("profile " + other.profile.key() + " vs " + profile.key());
        }
        if (!pragmas.equals(other.pragmas)) {
            differences.add("pragmas " + other.pragmas + " vs " + pragmas);
        }
        if (maximumPoolSize != other.maximumPoolSize || minimumIdle != other.minimumIdle
                || connectionTimeoutMillis != other.connectionTimeoutMillis
                || statementCacheSize != other.statementCacheSize) {
            differences.add("pool " + other.poolSummary() + " vs " + poolSummary());
        }
        if (!sqliteProperties.equals(other.sqliteProperties)) {
            differences.add("sqlite-jdbc properties " + other.sqliteProperties + " vs " + sqliteProperties);
        }
        return String.join("; ", differences);
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
