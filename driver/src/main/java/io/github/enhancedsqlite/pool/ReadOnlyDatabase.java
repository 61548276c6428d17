package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a database opens read-only, decided before opening: SQLite offers no pragma that tells, and the profile
 * must know in advance, because a reader cannot switch the journal mode or run {@code PRAGMA optimize} (both fail
 * with SQLITE_READONLY). SQLite opens read-only what a URI asks to ({@code mode=ro}, {@code immutable=1}), what
 * sqlite-jdbc's {@code open_mode} opens without SQLITE_OPEN_READWRITE, and a file it cannot open for writing
 * (another owner, an immutable file, read-only media), which is what {@link Files#isWritable} asks the system.
 * What the URL asks is decided once when it is parsed (config/ReadOnlyRequest); only the file is looked at here.
 */
final class ReadOnlyDatabase {

    private ReadOnlyDatabase() {
    }

    /** Why the database opens read-only, for a DEBUG line; null when it opens writable. */
    static String reason(DatabaseConfig config) {
        DatabaseLocation location = config.location();
        if (location.isMemory()) {
            return null;
        }
        String asked = config.settings().readOnlyRequest();
        if (asked != null) {
            return asked;
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
}
