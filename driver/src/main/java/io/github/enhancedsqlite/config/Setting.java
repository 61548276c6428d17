package io.github.enhancedsqlite.config;

/**
 * The driver's own keys other than pragmas. They are consumed by the driver and never reach sqlite-jdbc.
 * Pool keys use HikariCP's names, and transaction_mode sqlite-jdbc's, so a reader who knows those knows these.
 */
enum Setting {
    PROFILE("profile", null, "96gb",
            "Pragma profile applied to every connection: " + Profile.keys() + "."),
    MAXIMUM_POOL_SIZE("maximumPoolSize", ValueRule.integer(1, 1000), "10",
            "Most physical connections the pool keeps open for one database file."),
    MINIMUM_IDLE("minimumIdle", ValueRule.integer(0, 1000), "1",
            "Idle physical connections the pool keeps ready, at most maximumPoolSize. The pool opens with this many"
                    + " and grows on demand up to maximumPoolSize; connections above it close after HikariCP's idle"
                    + " timeout (10 s unused). Set it to maximumPoolSize for a fixed-size pool."),
    CONNECTION_TIMEOUT("connectionTimeout", ValueRule.integer(250, Integer.MAX_VALUE), "30000",
            "Milliseconds getConnection waits for a free pooled connection before failing."),
    POOL_IDLE_TIMEOUT("poolIdleTimeout", ValueRule.integer(0, Integer.MAX_VALUE), "60000",
            "Milliseconds a database may go without a borrowed connection before its whole pool closes (WAL"
                    + " checkpointed); the next getConnection reopens it (0: the pool stays open until shutdown)."),
    MAX_IDLE_POOLS("maxIdlePools", ValueRule.integer(0, 10_000), "8",
            "Pools with nothing borrowed that this JVM keeps open; when a pool opens beyond them, the least recently"
                    + " used idle pool closes (each open pool holds at least three file descriptors). Pools with"
                    + " poolIdleTimeout=0 neither count nor close."),
    STATEMENT_CACHE_SIZE("statementCacheSize", ValueRule.integer(0, 10_000), "64",
            "Prepared statements each pooled connection keeps compiled for reuse (0 turns the cache off)."),
    TRANSACTION_MODE("transaction_mode", ValueRule.oneOf("DEFERRED", "IMMEDIATE", "EXCLUSIVE"), "DEFERRED",
            "How a transaction begins. DEFERRED: one that begins with a read runs as a reader, without the writer turn,"
                    + " and takes the turn at its first write, continuing only if what it read still holds (else"
                    + " SQLState 40001); transactions whose first statement was learned to lead to writes begin as"
                    + " writers. IMMEDIATE (or EXCLUSIVE) takes the writer turn and the write lock at the first"
                    + " statement. Read-only connections always begin DEFERRED."),
    TRANSACTION_TIMEOUT("transactionTimeout", ValueRule.integer(0, Integer.MAX_VALUE), "30000",
            "Milliseconds a transaction may stay open before it is rolled back and its writer turn freed (0: never)."),
    WRITER_TIMEOUT("writerTimeout", ValueRule.integer(0, Integer.MAX_VALUE), "30000",
            "Milliseconds a writer waits in this JVM for its turn to write before failing with an error."),
    PROCESS_QUEUE("processQueue", ValueRule.bool(), "true",
            "Writers of every process on the database file queue in the operating system, through a lock file under"
                    + " java.io.tmpdir, instead of waiting out each other's locks by busy retry (false: only this"
                    + " JVM's writers queue)."),
    WRITER_FAIRNESS_WINDOW("writerFairnessWindow", ValueRule.integer(0, 60_000), "20",
            "Milliseconds a waiting writer may be overtaken by writers that find the turn free; after that the turn"
                    + " goes in arrival order (0: always in arrival order, slower on small machines). While writers"
                    + " of other processes take turns on the file, at most 2 ms (the process's turn)."),
    BUSY_RETRY_ATTEMPTS("busyRetryAttempts", ValueRule.integer(1, 1000), "20",
            "Attempts at an auto-commit statement, BEGIN or COMMIT while another process keeps the database busy."),
    BUSY_RETRY_BACKOFF("busyRetryBackoff", ValueRule.integer(1, 60_000), "5",
            "Milliseconds before the first retry; doubles each attempt with jitter, at most 1 s per wait."),
    BUSY_RETRY_MAX_WAIT("busyRetryMaxWait", ValueRule.integer(0, Integer.MAX_VALUE), "30000",
            "Milliseconds of retrying after which a busy error is reported, whatever attempts remain."),
    COMPRESS("compress", null, "auto",
            "Transparent zstd compression of large TEXT/BLOB values: auto (every column that can be compressed"
                    + " safely), off, or a list of table.column names."),
    COMPRESS_THRESHOLD("compressThreshold", ValueRule.integer(0, Integer.MAX_VALUE), "256",
            "Bytes from which a value bound into a compressed column is compressed."),
    COMPRESS_DICTIONARY_THRESHOLD("compressDictionaryThreshold", ValueRule.integer(0, Integer.MAX_VALUE), "64",
            "Bytes from which a value shorter than compressThreshold is compressed with its column's zstd dictionary,"
                    + " once the column has one, when that makes it smaller."),
    COMPRESS_LEVEL("compressLevel", ValueRule.integer(1, 22), "1",
            "zstd compression level of values shorter than compressLargeThreshold."),
    COMPRESS_LARGE_THRESHOLD("compressLargeThreshold", ValueRule.integer(0, Integer.MAX_VALUE), "8192",
            "Bytes from which a value is compressed at compressLargeLevel instead of compressLevel."),
    COMPRESS_LARGE_LEVEL("compressLargeLevel", ValueRule.integer(-7, 22), "1",
            "zstd compression level of values of at least compressLargeThreshold bytes (negative: zstd's fast"
                    + " levels)."),
    COMPRESS_DICTIONARY_SAMPLES("compressDictionarySamples", ValueRule.integer(0, 100_000), "64",
            "Values of a column seen before a zstd dictionary is trained for it (0: no dictionaries)."),
    SLOW_STATEMENT_THRESHOLD("slowStatementThreshold", ValueRule.integer(0, Integer.MAX_VALUE), "1000",
            "Milliseconds from which a statement is logged at WARN as slow, with its SQL and time (0: no slow log)."),
    LOG_PARAMETERS("logParameters", ValueRule.bool(), "false",
            "Whether the slow-statement log shows a prepared statement's bound values; off, they are never logged."),
    MAINTENANCE_INTERVAL("maintenanceInterval", ValueRule.integer(0, Integer.MAX_VALUE), "5000",
            "Milliseconds between background maintenance runs of a database file: a passive WAL checkpoint each"
                    + " run, PRAGMA optimize every 720th run, hourly at the default (0: no background maintenance)."),
    REPLICATION("replication", ValueRule.names("none", "litestream"), "none",
            "Who replicates the database file: none, or litestream (Litestream then takes every WAL checkpoint:"
                    + " the driver takes none, not at pool close either, and sets wal_autocheckpoint=0)."),
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

    /** Whether the value is one of the typed values {@link Settings} holds (profile and user are handled apart). */
    boolean isValue() {
        return rule != null;
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
