package io.github.enhancedsqlite.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads back, on a connection obtained exactly as the app obtains one, the settings that decide how SQLite
 * behaves under this workload. Read back rather than taken from configuration: only what the connection
 * reports is what the app really gets.
 */
final class EffectivePragmas {

    static final List<String> NAMES = List.of("journal_mode", "synchronous", "cache_size", "mmap_size",
            "temp_store", "busy_timeout", "wal_autocheckpoint", "journal_size_limit");

    private EffectivePragmas() {
    }

    /** Raw values as SQLite reports them, in {@link #NAMES} order; {@code journal_mode} in lower case. */
    static Map<String, String> read(String url) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url);
             Statement s = c.createStatement()) {
            for (String name : NAMES) {
                try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                    values.put(name, rs.next() ? rs.getString(1).toLowerCase(Locale.ROOT) : "?");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
                values.put("sqlite_version", rs.next() ? rs.getString(1) : "?");
            }
        }
        return values;
    }

    /** A raw value with its meaning, e.g. {@code -1048576 (1 GiB)}, so a reader needs no SQLite manual. */
    static String explain(String name, String raw) {
        long n;
        try {
            n = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return raw;
        }
        return switch (name) {
            case "synchronous" -> switch ((int) n) {
                case 0 -> "OFF (0)";
                case 1 -> "NORMAL (1)";
                case 2 -> "FULL (2)";
                case 3 -> "EXTRA (3)";
                default -> raw;
            };
            case "temp_store" -> switch ((int) n) {
                case 0 -> "DEFAULT (0, file)";
                case 1 -> "FILE (1)";
                case 2 -> "MEMORY (2)";
                default -> raw;
            };
            // Negative means KiB, positive means pages (of 4 KiB by default).
            case "cache_size" -> n < 0 ? raw + " (" + Sizes.bytes(-n * 1024) + ")" : raw + " pages";
            case "mmap_size" -> n == 0 ? "0 (off)" : raw + " (" + Sizes.bytes(n) + ")";
            case "busy_timeout" -> raw + " ms";
            case "wal_autocheckpoint" -> n <= 0 ? raw + " (off)" : raw + " pages";
            case "journal_size_limit" -> n < 0 ? raw + " (no limit)" : raw + " (" + Sizes.bytes(n) + ")";
            default -> raw;
        };
    }
}
