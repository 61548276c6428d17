package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.Pragma;
import io.github.enhancedsqlite.tx.SqliteErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a profile's pragmas to a new physical connection and reads back those SQLite can ignore without an error
 * (WAL on a read-only file, a new page size on a WAL database: {@link Pragma#mayNotTake}), since reading back is the
 * only way to know they are really in force; a pragma that did not take fails the connection. The others take every
 * value their rule lets through, or fail the script.
 */
final class PragmaApplier {

    private static final Logger LOG = LoggerFactory.getLogger(PragmaApplier.class);

    private PragmaApplier() {
    }

    /**
     * Pragmas read back that SQLite also offers as table-valued functions, so one SELECT reads them all; the others
     * ({@code mmap_size}, which has none) are read one by one.
     */
    private static final Set<Pragma> READABLE_IN_ONE_SELECT = EnumSet.of(Pragma.PAGE_SIZE, Pragma.JOURNAL_MODE,
            Pragma.AUTO_VACUUM);

    /**
     * Applies the pragmas in few round trips: the assignments as one script, then one SELECT that reads back what
     * it can (a new connection is on the path of the first statement of every short-lived process). If the script
     * fails, the pragmas are applied again one at a time, so the error names the one that failed (they are
     * idempotent). {@code PRAGMA optimize} is not run here: at open it made the first statements of processes
     * starting together wait on each other; the pool runs it in maintenance and at close.
     *
     * @param readOnlyReason why the database opens read-only (see {@link ReadOnlyDatabase}), or null: a reader gets
     *                       every per-connection pragma but not the profile's journal mode (a file's journal mode is
     *                       written in the file)
     */
    static void apply(Connection connection, DatabaseConfig config, String readOnlyReason) throws SQLException {
        Map<Pragma, String> wanted = config.settings().pragmas();
        if (wanted.isEmpty()) {
            return;
        }
        List<String> skipped = new ArrayList<>();
        Map<Pragma, String> toSet = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement()) {
            FileState file = FileState.read(statement, wanted.keySet());
            for (Map.Entry<Pragma, String> entry : wanted.entrySet()) {
                Pragma pragma = entry.getKey();
                String value = entry.getValue();
                // Switching journal mode needs a lock, so a database already in the mode is left alone: a reader
                // opening a connection must not wait for a writer.
                if (pragma == Pragma.JOURNAL_MODE) {
                    String current = file.journalMode;
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
                    String current = file.autoVacuum;
                    if (pragma.took(value, current)) {
                        continue;
                    }
                    boolean fromProfile = value.equals(config.settings().profile().pragmas().get(pragma));
                    if (fromProfile && (readOnlyReason != null || file.pageCount > 0)) {
                        skipped.add("auto_vacuum=" + value + " (the existing database keeps auto_vacuum=" + current + ")");
                        continue;
                    }
                }
                toSet.put(pragma, value);
            }
            if (!toSet.isEmpty()) {
                Map<Pragma, String> script = new LinkedHashMap<>(toSet);
                Map<Pragma, String> reported = new EnumMap<>(Pragma.class);
                if (file.pageCount == 0 && presetAutoVacuum(statement, toSet, file.journalMode)) {
                    script.remove(Pragma.AUTO_VACUUM); // the switch to WAL writes it into the new file
                    reported.put(Pragma.AUTO_VACUUM, toSet.get(Pragma.AUTO_VACUUM)); // read back by the preset
                }
                String journalMode = script.remove(Pragma.JOURNAL_MODE);
                setAll(statement, script, config);
                if (journalMode != null) {
                    // last, and as a query: it answers with the mode it left the file in, which is the reading back
                    reported.put(Pragma.JOURNAL_MODE, switchJournalMode(statement, journalMode, config));
                }
                checkAll(statement, toSet, reported, config);
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
     * The page cache in bytes each connection has once {@link #apply} succeeded, when the profile sets it: SQLite
     * takes every cache_size, so nothing needs to ask the connection again. -1 when the profile leaves it
     * to SQLite (or gives it in pages without the page size).
     */
    static long pageCacheBytes(DatabaseConfig config) {
        Map<Pragma, String> pragmas = config.settings().pragmas();
        String cacheSize = pragmas.get(Pragma.CACHE_SIZE);
        if (cacheSize == null) {
            return -1;
        }
        long value = Long.parseLong(cacheSize); // canonical: ValueRule.integer
        String pageSize = pragmas.get(Pragma.PAGE_SIZE);
        if (value >= 0 && pageSize == null) {
            return -1;
        }
        return Compression.pageCacheBytes(value, value < 0 ? 0 : Long.parseLong(pageSize));
    }

    /**
     * On a file with no page yet that is to become a WAL database with auto_vacuum: gives the connection auto_vacuum
     * without writing the file, so that the switch to WAL, which creates the file, writes it into the first page. The
     * pragma itself writes it in a rollback-journal transaction of its own, which on a new file costs that
     * transaction's four fsyncs and a journal file before the switch's own; a process that creates a database per
     * test or per event paid it on every file. SQLite keeps auto_vacuum on the connection's B-tree when the
     * pragma's write is rolled back (nothing reaches the file, and no fsync runs); the switch then creates the file
     * as an auto_vacuum one. The rolled-back transaction keeps its rollback journal in memory: it never writes the
     * file, and a journal file created and removed for it cost a new inode per database (on ext4 a search past every
     * inode freed lately). The journal mode is back to what it was ({@code journalMode}, a rollback mode on a file with
     * no page) before anything writes the file, so the switch to WAL writes the first page under a journal on disk, as
     * without this. Read back before it is relied on: false, and the pragma runs as written, when this SQLite does
     * not keep it.
     */
    private static boolean presetAutoVacuum(Statement statement, Map<Pragma, String> toSet, String journalMode)
            throws SQLException {
        String vacuum = toSet.get(Pragma.AUTO_VACUUM);
        String journal = toSet.get(Pragma.JOURNAL_MODE);
        if (vacuum == null || vacuum.equals("NONE") || journal == null || !Pragma.JOURNAL_MODE.took("wal", journal)) {
            return false;
        }
        String pageSize = toSet.get(Pragma.PAGE_SIZE);
        String restored = journalMode != null ? journalMode : "delete"; // a word SQLite reported, never caller text
        try {
            // values are canonical (ValueRule), never caller text; the page size first: the rolled-back transaction
            // fixes it for the connection as well
            statement.executeUpdate((pageSize == null ? "" : "PRAGMA page_size = " + pageSize + "; ")
                    + "PRAGMA journal_mode = MEMORY; BEGIN; PRAGMA auto_vacuum = " + vacuum + "; ROLLBACK;"
                    + " PRAGMA journal_mode = " + restored);
        } catch (SQLException e) {
            try {
                statement.execute("ROLLBACK");
            } catch (SQLException noTransaction) {
                e.addSuppressed(noTransaction);
            }
            if (!restored.equalsIgnoreCase(read(statement, Pragma.JOURNAL_MODE))) {
                statement.execute("PRAGMA journal_mode = " + restored); // never write the file without its journal
            }
            return false; // the pragma runs in the script, where its failure is explained
        }
        return Pragma.AUTO_VACUUM.took(vacuum, read(statement, Pragma.AUTO_VACUUM));
    }

    private static void setAll(Statement statement, Map<Pragma, String> toSet, DatabaseConfig config)
            throws SQLException {
        StringBuilder script = new StringBuilder();
        for (Map.Entry<Pragma, String> entry : toSet.entrySet()) {
            // value is canonical: a number or a word from a fixed list (see ValueRule), never caller text
            script.append("PRAGMA ").append(entry.getKey().key()).append(" = ").append(entry.getValue()).append(';');
        }
        try {
            statement.executeUpdate(script.toString()); // sqlite-jdbc runs every statement of an update's text
        } catch (SQLException scriptFailed) {
            for (Map.Entry<Pragma, String> entry : toSet.entrySet()) {
                Pragma pragma = entry.getKey();
                try {
                    statement.execute("PRAGMA " + pragma.key() + " = " + entry.getValue());
                } catch (SQLException e) {
                    throw new SQLException("PRAGMA " + pragma.key() + "=" + entry.getValue() + " failed on "
                            + describe(config) + ": " + e.getMessage() + hint(pragma, e), e.getSQLState(),
                            e.getErrorCode(), e);
                }
            }
        }
    }

    /**
     * Sets the journal mode; what SQLite answers is the mode the file is in now. Run after the other pragmas: on a
     * new file page_size and auto_vacuum must come before the switch to WAL creates it, and busy_timeout lets the
     * switch wait for the lock it needs.
     */
    private static String switchJournalMode(Statement statement, String value, DatabaseConfig config)
            throws SQLException {
        // value is canonical: a word from a fixed list (see ValueRule), never caller text
        try (ResultSet result = statement.executeQuery("PRAGMA journal_mode = " + value)) {
            return result.next() ? result.getString(1) : null;
        } catch (SQLException e) {
            throw new SQLException("PRAGMA journal_mode=" + value + " failed on " + describe(config) + ": "
                    + e.getMessage() + hint(Pragma.JOURNAL_MODE, e), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /**
     * Reads back what SQLite may have left unchanged without an error, except what {@code reported} already holds,
     * and fails naming the first pragma that did not take.
     */
    private static void checkAll(Statement statement, Map<Pragma, String> wanted, Map<Pragma, String> reported,
                                 DatabaseConfig config) throws SQLException {
        StringBuilder select = new StringBuilder();
        List<Pragma> selected = new ArrayList<>();
        for (Map.Entry<Pragma, String> entry : wanted.entrySet()) {
            Pragma pragma = entry.getKey();
            if (reported.containsKey(pragma) || !needsReadingBack(pragma, entry.getValue())) {
                continue;
            }
            if (READABLE_IN_ONE_SELECT.contains(pragma)) {
                select.append(selected.isEmpty() ? "SELECT " : ", ").append("(SELECT * FROM pragma_")
                        .append(pragma.key()).append(')');
                selected.add(pragma);
            } else {
                reported.put(pragma, read(statement, pragma));
            }
        }
        if (!selected.isEmpty()) {
            try (ResultSet result = statement.executeQuery(select.toString())) {
                result.next();
                for (int i = 0; i < selected.size(); i++) {
                    reported.put(selected.get(i), result.getString(i + 1));
                }
            }
        }
        for (Map.Entry<Pragma, String> entry : reported.entrySet()) {
            Pragma pragma = entry.getKey();
            String value = entry.getValue();
            if (!pragma.took(wanted.get(pragma), value)) {
                throw new SQLException("PRAGMA " + pragma.key() + "=" + wanted.get(pragma) + " did not take on "
                        + describe(config) + ": SQLite reports " + (value == null ? "nothing" : value) + ". "
                        + hint(pragma), "HY000");
            }
            if (pragma == Pragma.MMAP_SIZE) {
                mmapSizeTaken = Math.max(mmapSizeTaken, Long.parseLong(wanted.get(pragma)));
            }
        }
    }

    /**
     * The largest mmap_size this JVM's SQLite has taken: the cap is the build's (or the process's), the same for every
     * connection, so a size within it needs no reading back on the next one.
     */
    private static volatile long mmapSizeTaken = -1;

    /**
     * Whether SQLite may have ignored the pragma without an error: the others take every value their rule lets
     * through, and reading them back would be a statement per new connection that can only repeat what was set.
     */
    private static boolean needsReadingBack(Pragma pragma, String value) {
        if (pragma == Pragma.MMAP_SIZE) {
            return Long.parseLong(value) > mmapSizeTaken; // canonical: ValueRule.integer
        }
        return pragma.mayNotTake();
    }

    private static String read(Statement statement, Pragma pragma) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA " + pragma.key())) {
            return result.next() ? result.getString(1) : null;
        }
    }

    /**
     * What the file itself decides, read before anything is set, in one SELECT (a new connection is on the path of
     * every file a test suite opens): its journal mode and auto_vacuum, and whether it has pages yet.
     */
    private static final class FileState {
        private String journalMode;
        private String autoVacuum;
        private long pageCount;

        static FileState read(Statement statement, Set<Pragma> wanted) throws SQLException {
            FileState state = new FileState();
            boolean journal = wanted.contains(Pragma.JOURNAL_MODE);
            boolean vacuum = wanted.contains(Pragma.AUTO_VACUUM);
            if (!journal && !vacuum) {
                return state;
            }
            String select = "SELECT " + (journal ? "(SELECT * FROM pragma_journal_mode)" : "NULL")
                    + (vacuum ? ", (SELECT * FROM pragma_auto_vacuum), (SELECT * FROM pragma_page_count)"
                            : ", NULL, 0");
            try (ResultSet result = statement.executeQuery(select)) {
                if (result.next()) {
                    state.journalMode = result.getString(1);
                    state.autoVacuum = result.getString(2);
                    state.pageCount = result.getLong(3);
                }
            }
            return state;
        }
    }

    private static String describe(DatabaseConfig config) {
        return PhysicalConnectionFactory.databaseName(config);
    }

    /**
     * What to do about a pragma that failed, as a sentence to append; empty when the failure is about the file or its
     * storage rather than the pragma (a full disk, a damaged file), which {@link OpenFailure} then explains.
     */
    private static String hint(Pragma pragma, SQLException failure) {
        if (SqliteErrors.isBusyOrLocked(failure)) {
            return ". Another connection was writing the file" + (pragma == Pragma.JOURNAL_MODE
                    ? ", and a switch of journal mode needs every other writer to finish first" : "") + ".";
        }
        if (OpenFailure.explains(failure)) {
            return "";
        }
        return ". " + hint(pragma);
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
