package io.github.enhancedsqlite.config;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.Levels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
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
    // The values above, typed once per feature, so no pool or transaction code parses a string.
    private final PoolSettings pool;
    private final TransactionSettings transactions;
    private final CompressionSettings compression;
    private final ObservabilitySettings observability;
    private final MaintenanceSettings maintenance;
    private final ReplicationSettings replication;
    /** Derived from the URL (with sqliteProperties), so not part of equality: see {@link #readOnlyRequest()}. */
    private final String readOnlyRequest;

    Settings(Profile profile, Map<Pragma, String> pragmas, Map<Setting, String> values,
             SortedMap<String, String> sqliteProperties, String readOnlyRequest) {
        this.profile = profile;
        this.pragmas = Collections.unmodifiableMap(new EnumMap<>(pragmas));
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
        this.sqliteProperties = Collections.unmodifiableSortedMap(new TreeMap<>(sqliteProperties));
        this.pool = pool(values);
        this.transactions = transactions(values);
        this.compression = compression(values);
        this.observability = observability(values);
        this.maintenance = maintenance(values, pragmas);
        this.replication = new ReplicationSettings(values.get(Setting.REPLICATION).equals("litestream")
                ? ReplicationSettings.Replicator.LITESTREAM : ReplicationSettings.Replicator.NONE);
        this.readOnlyRequest = readOnlyRequest;
    }

    public Profile profile() {
        return profile;
    }

    /** The pragma values applied to each new connection, in application order, profile and overrides merged. */
    public Map<Pragma, String> pragmas() {
        return pragmas;
    }

    /** How the pool is sized and lends. */
    public PoolSettings pool() {
        return pool;
    }

    /** Writer turn, transactions and busy retry. */
    public TransactionSettings transactions() {
        return transactions;
    }

    /** Which columns are compressed, and how. */
    public CompressionSettings compression() {
        return compression;
    }

    /** The slow-statement log. */
    public ObservabilitySettings observability() {
        return observability;
    }

    /** Background checkpoints and optimize. */
    public MaintenanceSettings maintenance() {
        return maintenance;
    }

    /** Whether Litestream replicates the file, and so whether the driver may checkpoint. */
    public ReplicationSettings replication() {
        return replication;
    }

    /**
     * Why the URL asks SQLite to open the database read-only ({@code mode=ro}, {@code immutable=1}, an
     * {@code open_mode} without READWRITE); null when it does not.
     */
    public String readOnlyRequest() {
        return readOnlyRequest;
    }

    private static PoolSettings pool(Map<Setting, String> values) {
        return new PoolSettings(intValue(values, Setting.MAXIMUM_POOL_SIZE), intValue(values, Setting.MINIMUM_IDLE),
                intValue(values, Setting.CONNECTION_TIMEOUT), intValue(values, Setting.STATEMENT_CACHE_SIZE),
                intValue(values, Setting.POOL_IDLE_TIMEOUT), intValue(values, Setting.MAX_IDLE_POOLS));
    }

    private static TransactionSettings transactions(Map<Setting, String> values) {
        return new TransactionSettings("BEGIN " + values.get(Setting.TRANSACTION_MODE),
                intValue(values, Setting.TRANSACTION_TIMEOUT), intValue(values, Setting.WRITER_TIMEOUT),
                intValue(values, Setting.WRITER_FAIRNESS_WINDOW), intValue(values, Setting.BUSY_RETRY_ATTEMPTS),
                intValue(values, Setting.BUSY_RETRY_BACKOFF), intValue(values, Setting.BUSY_RETRY_MAX_WAIT),
                Boolean.parseBoolean(values.get(Setting.PROCESS_QUEUE)));
    }

    /** From the canonical {@code compress} value: {@code auto}, {@code off}, or sorted table.column names. */
    private static CompressionSettings compression(Map<Setting, String> values) {
        String compress = values.get(Setting.COMPRESS);
        Compression.Mode mode = compress.equals("auto") ? Compression.Mode.AUTO
                : compress.equals("off") ? Compression.Mode.OFF : Compression.Mode.LISTED;
        Set<ColumnRef> listed = new LinkedHashSet<>();
        if (mode == Compression.Mode.LISTED) {
            for (String column : compress.split(",")) {
                listed.add(ColumnRef.parse(column));
            }
        }
        return new CompressionSettings(mode, listed, intValue(values, Setting.COMPRESS_THRESHOLD),
                intValue(values, Setting.COMPRESS_DICTIONARY_THRESHOLD), new Levels(intValue(values, Setting.COMPRESS_LEVEL),
                        intValue(values, Setting.COMPRESS_LARGE_THRESHOLD), intValue(values, Setting.COMPRESS_LARGE_LEVEL)),
                intValue(values, Setting.COMPRESS_DICTIONARY_SAMPLES));
    }

    private static ObservabilitySettings observability(Map<Setting, String> values) {
        return new ObservabilitySettings(intValue(values, Setting.SLOW_STATEMENT_THRESHOLD),
                Boolean.parseBoolean(values.get(Setting.LOG_PARAMETERS)));
    }

    private static MaintenanceSettings maintenance(Map<Setting, String> values, Map<Pragma, String> pragmas) {
        String pages = pragmas.get(Pragma.WAL_AUTOCHECKPOINT);
        int autocheckpoint = pages == null ? 0 : Integer.parseInt(pages);
        return new MaintenanceSettings(intValue(values, Setting.MAINTENANCE_INTERVAL),
                autocheckpoint <= 0 ? 0 : Math.max(1, autocheckpoint / 8), Math.max(0, autocheckpoint));
    }

    private static int intValue(Map<Setting, String> values, Setting setting) {
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
