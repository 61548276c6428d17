package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.Pragma;
import io.github.enhancedsqlite.tx.SqliteErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a profile's pragmas to a new physical connection and reads each back. SQLite ignores a pragma it
 * cannot honour without an error (WAL on a read-only file, a new page size on a WAL database), so reading back
 * is the only way to know the profile is really in force; a pragma that did not take fails the connection.
 */
final class PragmaApplier {

    private static final Logger LOG = LoggerFactory.getLogger(PragmaApplier.class);

    private PragmaApplier() {
    }

    /**
     * @param readOnlyReason why the database opens read-only (see {@link ReadOnlyDatabase}), or null: a reader gets
     *                       every per-connection pragma but not the profile's journal mode (a file's journal mode is
     *                       written in the file) and no {@code PRAGMA optimize} (it may write statistics)
     */
    static void apply(Connection connection, DatabaseConfig config, String readOnlyReason) throws SQLException {
        List<String> skipped = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<Pragma, String> entry : config.settings().pragmas().entrySet()) {
                Pragma pragma = entry.getKey();
                String value = entry.getValue();
                // Switching journal mode needs a lock, so a database already in the mode is left alone: a reader
                // opening a connection must not wait for a writer.
                if (pragma == Pragma.JOURNAL_MODE) {
                    String current = read(statement, pragma);
                    if (pragma.took(value, current)) {
                        continue;
                    }
                    // an override the application wrote itself is still applied, and fails with SQLite's reason
                    if (readOnlyReason != null && value.equals(config.settings().profile().pragmas().get(pragma))) {
                        skipped.add("journal_mode=" + value + " (the file stays in " + current + " mode)");
                        continue;
                    }
                }
                // SQLite sets auto_vacuum for good when it writes a database's first page; the profile's value is
                // for databases the driver creates, and an existing one keeps its own (migrate and compact switch it)
                if (pragma == Pragma.AUTO_VACUUM) {
                    String current = read(statement, pragma);
                    if (pragma.took(value, current)) {
                        continue;
                    }
                    boolean fromProfile = value.equals(config.settings().profile().pragmas().get(pragma));
                    if (fromProfile && (readOnlyReason != null || pageCount(statement) > 0)) {
                        skipped.add("auto_vacuum=" + value + " (the existing database keeps auto_vacuum=" + current + ")");
                        continue;
                    }
                }
                // value is canonical: a number or a word from a fixed list (see ValueRule), never caller text
                try {
                    statement.execute("PRAGMA " + pragma.key() + " = " + value);
                } catch (SQLException e) {
                    throw new SQLException("PRAGMA " + pragma.key() + "=" + value + " failed on " + describe(config) + ": "
                            + e.getMessage() + ". " + hint(pragma), e.getSQLState(), e.getErrorCode(), e);
                }
                String reported = read(statement, pragma);
                if (!pragma.took(value, reported)) {
                    throw new SQLException("PRAGMA " + pragma.key() + "=" + value + " did not take on "
                            + describe(config) + ": SQLite reports " + (reported == null ? "nothing" : reported)
                            + ". " + hint(pragma), "HY000");
                }
            }
            if (config.settings().profile().optimizes() && !config.location().isMemory()) {
                if (readOnlyReason == null) {
                    optimize(statement);
                } else {
                    skipped.add("PRAGMA optimize");
                }
            }
        }
        if (readOnlyReason != null && LOG.isDebugEnabled()) {
            LOG.debug("{} opens read-only ({}); the profile skipped what only a writer can apply: {}",
                    describe(config), readOnlyReason, skipped.isEmpty() ? "nothing" : String.join(", ", skipped));
        } else if (!skipped.isEmpty() && LOG.isDebugEnabled()) {
            LOG.debug("{}: the profile left what the existing file decides: {}", describe(config),
                    String.join(", ", skipped));
        }
    }

    /**
     * 0x10002: analyze only what a fresh connection needs, bounded so open stays fast. It may have to write
     * statistics; when a writer holds the database that waits for nothing: the next connection will do it.
     */
    private static void optimize(Statement statement) throws SQLException {
        String busyTimeout = read(statement, Pragma.BUSY_TIMEOUT);
        statement.execute("PRAGMA busy_timeout = 0");
        try {
            statement.execute("PRAGMA optimize = 0x10002");
        } catch (SQLException e) {
            if (!SqliteErrors.isBusyOrLocked(e)) {
                throw e;
            }
        } finally {
            statement.execute("PRAGMA busy_timeout = " + Long.parseLong(busyTimeout)); // a number SQLite reported
        }
    }

    private static String read(Statement statement, Pragma pragma) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA " + pragma.key())) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static long pageCount(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA page_count")) {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    private static String describe(DatabaseConfig config) {
        return PhysicalConnectionFactory.databaseName(config);
    }

    private static String hint(Pragma pragma) {
        switch (pragma) {
            case JOURNAL_MODE:
                return "A read-only or in-memory database cannot switch journal mode; open it writable,"
                        + " or choose profile=off or another journal_mode.";
            case PAGE_SIZE:
                return "An existing WAL database keeps its page size; set page_size only when creating a database.";
            case AUTO_VACUUM:
                return "An existing database switches between auto_vacuum NONE and FULL or INCREMENTAL only by a"
                        + " VACUUM: run the toolkit's migrate or compact on it, or leave auto_vacuum unset.";
            case MMAP_SIZE:
                return "This SQLite build caps mmap_size; choose a smaller value.";
            default:
                return "Choose a value SQLite accepts for this database.";
        }
    }
}
