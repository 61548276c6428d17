package io.github.enhancedsqlite.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
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
    /** Every value-carrying {@link Setting}, default or given, in canonical form. */
    private final Map<Setting, String> values;
    private final SortedMap<String, String> sqliteProperties;

    Settings(Profile profile, Map<Pragma, String> pragmas, Map<Setting, String> values,
             SortedMap<String, String> sqliteProperties) {
        this.profile = profile;
        this.pragmas = Collections.unmodifiableMap(new EnumMap<>(pragmas));
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        this.sqliteProperties = Collections.unmodifiableSortedMap(new TreeMap<>(sqliteProperties));
    }

    public Profile profile() {
        return profile;
    }

    /** The pragma values applied to each new connection, in application order, profile and overrides merged. */
    public Map<Pragma, String> pragmas() {
        return pragmas;
    }

    public int maximumPoolSize() {
        return intValue(Setting.MAXIMUM_POOL_SIZE);
    }

    public int minimumIdle() {
        return intValue(Setting.MINIMUM_IDLE);
    }

    public long connectionTimeoutMillis() {
        return intValue(Setting.CONNECTION_TIMEOUT);
    }

    public int statementCacheSize() {
        return intValue(Setting.STATEMENT_CACHE_SIZE);
    }

    /** The BEGIN statement of a transaction that may write, e.g. {@code BEGIN IMMEDIATE}. */
    public String beginStatement() {
        return "BEGIN " + values.get(Setting.TRANSACTION_MODE);
    }

    public long transactionTimeoutMillis() {
        return intValue(Setting.TRANSACTION_TIMEOUT);
    }

    public long writerTimeoutMillis() {
        return intValue(Setting.WRITER_TIMEOUT);
    }

    public long writerFairnessWindowMillis() {
        return intValue(Setting.WRITER_FAIRNESS_WINDOW);
    }

    public int busyRetryAttempts() {
        return intValue(Setting.BUSY_RETRY_ATTEMPTS);
    }

    public long busyRetryBackoffMillis() {
        return intValue(Setting.BUSY_RETRY_BACKOFF);
    }

    public long busyRetryMaxWaitMillis() {
        return intValue(Setting.BUSY_RETRY_MAX_WAIT);
    }

    /** {@code auto}, {@code off}, or the sorted comma-separated list of compressed columns. */
    public String compress() {
        return values.get(Setting.COMPRESS);
    }

    public int compressThreshold() {
        return intValue(Setting.COMPRESS_THRESHOLD);
    }

    public int compressLevel() {
        return intValue(Setting.COMPRESS_LEVEL);
    }

    public int compressDictionarySamples() {
        return intValue(Setting.COMPRESS_DICTIONARY_SAMPLES);
    }

    public long slowStatementThresholdMillis() {
        return intValue(Setting.SLOW_STATEMENT_THRESHOLD);
    }

    public boolean logParameters() {
        return Boolean.parseBoolean(values.get(Setting.LOG_PARAMETERS));
    }

    public long maintenanceIntervalMillis() {
        return intValue(Setting.MAINTENANCE_INTERVAL);
    }

    private int intValue(Setting setting) {
        return Integer.parseInt(values.get(setting));
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
        for (Setting setting : Setting.values()) {
            addIfDifferent(differences, setting.key(), open.values.get(setting), values.get(setting));
        }
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

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Settings)) {
            return false;
        }
        Settings that = (Settings) o;
        return profile == that.profile && pragmas.equals(that.pragmas) && values.equals(that.values)
                && sqliteProperties.equals(that.sqliteProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, pragmas, values, sqliteProperties);
    }

    @Override
    public String toString() {
        return "profile=" + profile.key() + ", pragmas=" + pragmas + ", " + values
                + (sqliteProperties.isEmpty() ? "" : ", sqlite-jdbc=" + sqliteProperties);
    }
}
