package io.github.enhancedsqlite.bench;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.sqlite.SQLiteException;

/**
 * Failures the application saw, counted by kind. The kind names SQLite's extended result code (SQLITE_BUSY and
 * SQLITE_BUSY_SNAPSHOT need different fixes) and, when the driver wrapped it, the SQLState it surfaced with
 * (40001: "rolled back, run it again"). Not thread-safe: one per thread, merged after.
 */
final class ErrorCounts {

    private final Map<String, Long> counts = new TreeMap<>();

    void record(Throwable error) {
        add(kind(error), 1);
    }

    void add(String kind, long count) {
        counts.merge(kind, count, Long::sum);
    }

    void addAll(ErrorCounts other) {
        other.counts.forEach(this::add);
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<String, Long> byKind() {
        return Map.copyOf(counts);
    }

    /** "0", or "12 (SQLITE_BUSY_SNAPSHOT 10, SQLITE_BUSY 2)", most frequent first. */
    String describe() {
        if (counts.isEmpty()) {
            return "0";
        }
        return total() + " (" + counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * E.g. "SQLITE_BUSY_SNAPSHOT", "40001 ← SQLITE_BUSY" (the enhanced driver's rollback-for-replay),
     * "HYT00 SQLTimeoutException", or the class name of anything that is not an SQLException.
     */
    static String kind(Throwable error) {
        SQLiteException sqlite = null;
        for (Throwable t = error; t != null && sqlite == null; t = t.getCause()) {
            if (t instanceof SQLiteException) {
                sqlite = (SQLiteException) t;
            }
        }
        String code = sqlite == null ? null : sqlite.getResultCode().name();
        if (error instanceof SQLiteException) {
            return code;
        }
        if (error instanceof SQLException) {
            String state = ((SQLException) error).getSQLState();
            String prefix = state == null ? error.getClass().getSimpleName() : state;
            return code == null ? prefix + " " + error.getClass().getSimpleName() : prefix + " ← " + code;
        }
        return error.getClass().getSimpleName() + (code == null ? "" : " ← " + code);
    }
}
