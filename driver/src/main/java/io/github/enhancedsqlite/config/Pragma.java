package io.github.enhancedsqlite.config;

/**
 * The pragmas a profile sets and a URL may override, in the order they are applied to a new connection.
 * The order matters: busy_timeout first so switching the journal mode waits for a lock instead of failing,
 * page_size and auto_vacuum before journal_mode because switching to WAL writes the database's first page, after
 * which neither can change without a VACUUM.
 */
public enum Pragma {
    BUSY_TIMEOUT("busy_timeout", ValueRule.integer(0, Integer.MAX_VALUE), false,
            "Milliseconds SQLite waits on a lock held by another process before reporting SQLITE_BUSY."),
    PAGE_SIZE("page_size", ValueRule.powerOfTwo(512, 65536), true,
            "Page size in bytes; takes effect only on a new database (not set by any profile)."),
    AUTO_VACUUM("auto_vacuum", ValueRule.oneOf("NONE", "FULL", "INCREMENTAL"), true,
            "Whether freed pages can go back to the disk; INCREMENTAL lets maintenance and the compact command return"
                    + " them in small steps. Set on a new database (an existing one keeps its own until migrate or"
                    + " compact switches it)."),
    JOURNAL_MODE("journal_mode", ValueRule.names("delete", "truncate", "persist", "memory", "wal", "off"), true,
            "Rollback journal mode; wal lets readers run beside the writer."),
    SYNCHRONOUS("synchronous", ValueRule.oneOf("OFF", "NORMAL", "FULL", "EXTRA"), false,
            "How often SQLite waits for the disk; NORMAL is durable across application crashes in WAL mode."),
    CACHE_SIZE("cache_size", ValueRule.integer(Integer.MIN_VALUE, Integer.MAX_VALUE), false,
            "Page cache per connection: pages when positive, KiB when negative."),
    MMAP_SIZE("mmap_size", ValueRule.integer(0, Long.MAX_VALUE), true,
            "Bytes of the database file read through memory mapping (address space, not RAM)."),
    TEMP_STORE("temp_store", ValueRule.oneOf("DEFAULT", "FILE", "MEMORY"), false,
            "Where temporary tables and indices live."),
    WAL_AUTOCHECKPOINT("wal_autocheckpoint", ValueRule.integer(0, Integer.MAX_VALUE), false,
            "WAL pages after which a commit checkpoints automatically (0 disables)."),
    JOURNAL_SIZE_LIMIT("journal_size_limit", ValueRule.integer(-1, Long.MAX_VALUE), false,
            "Bytes the WAL file is truncated to after a checkpoint, so it cannot grow without bound (-1: no limit).");

    private final String key;
    private final ValueRule rule;
    private final boolean fileOnly;
    private final String description;

    Pragma(String key, ValueRule rule, boolean fileOnly, String description) {
        this.key = key;
        this.rule = rule;
        this.fileOnly = fileOnly;
        this.description = description;
    }

    /** The pragma's name, which is also its URL key. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /**
     * Whether the pragma means nothing for an in-memory database (SQLite keeps journal_mode=memory there and has
     * no file to map), so a profile skips it for one; an explicit override is still applied and checked.
     */
    public boolean fileOnly() {
        return fileOnly;
    }

    ValueRule rule() {
        return rule;
    }

    /**
     * Whether SQLite can leave the pragma as it was without an error, so that only reading it back tells: a file's
     * journal mode (WAL on a read-only file), page size and auto_vacuum (fixed once the file has pages), an
     * mmap_size above the build's cap. The others take every value their rule accepts, or fail with an error.
     */
    public boolean mayNotTake() {
        return this == JOURNAL_MODE || this == PAGE_SIZE || this == AUTO_VACUUM || this == MMAP_SIZE;
    }

    /** Whether the value SQLite reports after setting means the value we asked for. */
    public boolean took(String canonicalValue, String reported) {
        return rule.sameValue(canonicalValue, reported);
    }

    static Pragma forKey(String key) {
        for (Pragma pragma : values()) {
            if (pragma.key.equals(key)) {
                return pragma;
            }
        }
        return null;
    }
}
