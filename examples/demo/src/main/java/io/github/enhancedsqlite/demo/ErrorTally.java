package io.github.enhancedsqlite.demo;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts failed operations by kind, e.g. {@code [SQLITE_BUSY] database is locked}.
 *
 * <p>Kinds are derived from the message text rather than driver classes so the demo depends on
 * {@code java.sql} only, and so that two messages that differ only in the SQL they quote still count as one kind.
 */
final class ErrorTally {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(Throwable failure) {
        counts.computeIfAbsent(kindOf(failure), k -> new LongAdder()).increment();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Most frequent first, so the report's first line is the one that matters. */
    Map<String, Long> byKind() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * sqlite-jdbc writes {@code [SQLITE_BUSY] The database file is locked (database is locked)}: the bracketed
     * result code plus SQLite's own short text in the last parentheses is the most recognisable form.
     */
    static String kindOf(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        if (message.startsWith("[") && message.indexOf(']') > 0) {
            int close = message.indexOf(']');
            String code = message.substring(0, close + 1);
            String rest = message.substring(close + 1).strip();
            int open = rest.indexOf(" (");
            if (open >= 0 && rest.endsWith(")")) {
                rest = rest.substring(open + 2, rest.length() - 1);
            }
            return code + " " + shorten(rest);
        }
        String type = failure instanceof SQLException sql && sql.getSQLState() != null
                ? failure.getClass().getSimpleName() + " (SQLState " + sql.getSQLState() + ")"
                : failure.getClass().getSimpleName();
        return message.isEmpty() ? type : type + ": " + shorten(message);
    }

    private static String shorten(String text) {
        return text.length() <= 90 ? text : text.substring(0, 87) + "...";
    }
}
