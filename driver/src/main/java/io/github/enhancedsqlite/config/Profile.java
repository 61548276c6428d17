package io.github.enhancedsqlite.config;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A named set of pragma values applied to every physical connection. Any single pragma can still be
 * overridden in the URL; {@code off} applies nothing beyond such overrides, which is plain sqlite-jdbc.
 */
public enum Profile {
    /** The tuned default: 1 GiB page cache, 8 GiB memory map, WAL, synchronous=NORMAL. */
    NINETY_SIX_GB("96gb", "1 GiB page cache and 8 GiB mmap per connection, WAL, synchronous=NORMAL",
            -1_048_576L, 8L << 30, "MEMORY", "NORMAL"),
    /** The 96gb shape scaled to this machine: cache 1/64 and mmap 1/8 of physical memory, capped at 96gb's. */
    AUTO("auto", "96gb scaled to this machine's memory", Profile.SCALED, Profile.SCALED, "MEMORY", "NORMAL"),
    /** For small containers: 16 MiB cache, no memory map, temporary tables on disk. */
    LOW_MEMORY("low-memory", "16 MiB page cache, no mmap, temp tables on disk, WAL", -16_384L, 0L, "DEFAULT", "NORMAL"),
    /** 96gb with synchronous=FULL: a commit survives power loss, not only a crash of the application. */
    DURABLE("durable", "96gb with synchronous=FULL (commits survive power loss)",
            -1_048_576L, 8L << 30, "MEMORY", "FULL"),
    /** No pragma and no optimize: sqlite-jdbc's own defaults, still pooled. */
    OFF("off", "plain sqlite-jdbc defaults, nothing applied", 0, 0, null, null);

    /** busy_timeout of every profile but off: waits out a lock held by another process. */
    public static final long BUSY_TIMEOUT_MILLIS = 5_000;
    /** journal_size_limit of every profile but off: a checkpointed WAL is truncated back to 64 MiB. */
    public static final long JOURNAL_SIZE_LIMIT_BYTES = 64L << 20;

    private final String key;
    private final String summary;
    /** Null for auto: its values need the machine's memory, read only when a URL asks for it (see pragmas()). */
    private final Map<Pragma, String> pragmas;

    Profile(String key, String summary, long cacheSize, long mmapSize, String tempStore, String synchronous) {
        this.key = key;
        this.summary = summary;
        this.pragmas = cacheSize == SCALED ? null : values(cacheSize, mmapSize, tempStore, synchronous);
    }

    /**
     * Stands for a size scaled to the machine's memory. Reading that loads the JVM's management classes, which cost
     * a short-lived process more than everything else the driver does at start, so only auto pays for it.
     */
    private static final long SCALED = Long.MIN_VALUE;

    private static Map<Pragma, String> values(long cacheSize, long mmapSize, String tempStore, String synchronous) {
        Map<Pragma, String> values = new EnumMap<>(Pragma.class);
        if (synchronous != null) {
            values.put(Pragma.BUSY_TIMEOUT, Long.toString(BUSY_TIMEOUT_MILLIS));
            // on databases the driver creates: space freed by deletes and by compression can go back to the disk
            values.put(Pragma.AUTO_VACUUM, "INCREMENTAL");
            values.put(Pragma.JOURNAL_MODE, "wal");
            values.put(Pragma.SYNCHRONOUS, synchronous);
            values.put(Pragma.CACHE_SIZE, Long.toString(cacheSize));
            values.put(Pragma.MMAP_SIZE, Long.toString(mmapSize));
            values.put(Pragma.TEMP_STORE, tempStore);
            values.put(Pragma.WAL_AUTOCHECKPOINT, "1000");
            values.put(Pragma.JOURNAL_SIZE_LIMIT, Long.toString(JOURNAL_SIZE_LIMIT_BYTES));
        }
        return Collections.unmodifiableMap(values);
    }

    /** The name used in {@code ?profile=}. */
    public String key() {
        return key;
    }

    public String summary() {
        return summary;
    }

    /** The pragma values this profile sets, in application order. */
    public Map<Pragma, String> pragmas() {
        return pragmas != null ? pragmas : MachineMemory.SCALED_PRAGMAS;
    }

    /** Whether connections run {@code PRAGMA optimize} at open and the pool runs it at close. */
    public boolean optimizes() {
        return this != OFF;
    }

    static Profile forKey(String key) {
        for (Profile profile : values()) {
            if (profile.key.equalsIgnoreCase(key.trim())) {
                return profile;
            }
        }
        return null;
    }

    static String keys() {
        StringBuilder keys = new StringBuilder();
        for (Profile profile : values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(profile.key);
        }
        return keys.toString();
    }

    /** Physical memory, read once, and auto's values from it; loaded only when auto is asked for. */
    private static final class MachineMemory {
        static final long BYTES = read();
        static final Map<Pragma, String> SCALED_PRAGMAS = values(Math.max(-1_048_576L, -(BYTES / 64 / 1024)),
                Math.min(8L << 30, BYTES / 8), "MEMORY", "NORMAL");

        private static long read() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
            return Runtime.getRuntime().maxMemory() * 4;
        }
    }
}
