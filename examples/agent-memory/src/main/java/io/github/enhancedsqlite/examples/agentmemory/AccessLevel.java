package io.github.enhancedsqlite.examples.agentmemory;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who besides its owner may see and change an entry.
 *
 * <ul>
 *   <li>{@link #PRIVATE}: the owner only. To every other agent the entry does not exist (not retrieved, listed or
 *       searched, and a delete finds nothing); only storing its key fails, because a key belongs to one entry.</li>
 *   <li>{@link #SHARED}: every agent reads and updates it (the level for state agents work on together; the
 *       version check keeps their concurrent updates from overwriting each other). Only the owner deletes it or
 *       changes its access level.</li>
 *   <li>{@link #PUBLIC}: every agent reads it; only the owner updates or deletes it (published results).</li>
 * </ul>
 */
public enum AccessLevel {
    PRIVATE,
    SHARED,
    PUBLIC;

    /** The name stored in {@code memory_entries.access_level}. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccessLevel fromSqlName(String name) {
        for (AccessLevel level : values()) {
            if (level.sqlName().equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("access level '" + name + "' is not one of "
                + Arrays.stream(values()).map(AccessLevel::sqlName).collect(Collectors.joining(", ")));
    }
}
