package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether a database opens read-only, decided before opening: SQLite offers no pragma that tells, and the profile
 * must know in advance, because a reader cannot switch the journal mode or run {@code PRAGMA optimize} (both fail
 * with SQLITE_READONLY). SQLite opens read-only what a URI asks to ({@code mode=ro}, {@code immutable=1}), what
 * sqlite-jdbc's {@code open_mode} opens without SQLITE_OPEN_READWRITE, and a file it cannot open for writing
 * (another owner, an immutable file, read-only media), which is what {@link Files#isWritable} asks the system.
 */
final class ReadOnlyDatabase {

    /** SQLITE_OPEN_READWRITE in sqlite-jdbc's open_mode flags. */
    private static final int OPEN_READWRITE = 0x2;

    private ReadOnlyDatabase() {
    }

    /** Why the database opens read-only, for a DEBUG line; null when it opens writable. */
    static String reason(DatabaseConfig config) {
        DatabaseLocation location = config.location();
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
        String openMode = config.settings().sqliteProperties().get("open_mode");
        if (openMode != null && (Integer.parseInt(openMode) & OPEN_READWRITE) == 0) {
            return "open_mode=" + openMode + " does not include SQLITE_OPEN_READWRITE (2)";
        }
        if (location.kind() == DatabaseLocation.Kind.FILE) {
            Path file = Path.of(location.poolKey());
            if (Files.isRegularFile(file) && !Files.isWritable(file)) {
                return "this process may not write the file";
            }
        }
        return null;
    }

    static boolean isReadOnly(DatabaseConfig config) {
        return reason(config) != null;
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
