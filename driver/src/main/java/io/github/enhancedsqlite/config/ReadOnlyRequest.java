package io.github.enhancedsqlite.config;

import java.util.Locale;
import java.util.Map;

/**
 * Whether the URL itself asks SQLite to open the database read-only: a URI with {@code mode=ro} or
 * {@code immutable=1}, or sqlite-jdbc's {@code open_mode} without SQLITE_OPEN_READWRITE. Decided once when the URL is
 * parsed; the pool adds what only the file system can tell (pool/ReadOnlyDatabase).
 */
final class ReadOnlyRequest {

    /** SQLITE_OPEN_READWRITE in sqlite-jdbc's open_mode flags. */
    private static final int OPEN_READWRITE = 0x2;

    private ReadOnlyRequest() {
    }

    /** Why the URL asks for a read-only database, for a DEBUG line; null when it does not. */
    static String reason(DatabaseLocation location, Map<String, String> sqliteProperties) {
        if (location.isMemory()) {
            return null;
        }
        String mode = uriParameter(location.sqliteUrl(), "mode");
        if ("ro".equalsIgnoreCase(mode)) {
            return "its URI asks mode=ro";
        }
        String immutable = uriParameter(location.sqliteUrl(), "immutable");
        if (immutable != null && isTrue(immutable)) {
            return "its URI asks immutable=" + immutable;
        }
        String openMode = sqliteProperties.get("open_mode");
        if (openMode != null && (Integer.parseInt(openMode) & OPEN_READWRITE) == 0) {
            return "open_mode=" + openMode + " does not include SQLITE_OPEN_READWRITE (2)";
        }
        return null;
    }

    /** A query parameter of a {@code jdbc:sqlite:file:} URL, as the parser left it there for SQLite. */
    private static String uriParameter(String sqliteUrl, String name) {
        int question = sqliteUrl.indexOf('?');
        if (question < 0) {
            return null;
        }
        for (String pair : sqliteUrl.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equalsIgnoreCase(name)) {
                return pair.substring(equals + 1);
            }
        }
        return null;
    }

    /** sqlite3_uri_boolean's true: 1, yes, true, on, or any nonzero number. */
    private static boolean isTrue(String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("yes") || lower.equals("true") || lower.equals("on")) {
            return true;
        }
        try {
            return Long.parseLong(lower) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
