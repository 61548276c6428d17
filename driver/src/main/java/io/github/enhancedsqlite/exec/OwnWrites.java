package io.github.enhancedsqlite.exec;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * The rows the driver itself changes on one connection — columns returned to plain storage, decoded copies for a
 * read-only connection, a value escaped, the record of compressed columns — kept out of what the application reads
 * as counts, so they answer as with {@code compress=off}. SQLite counts every INSERT, UPDATE and DELETE its
 * connection completes and offers no way to leave one out. So after the driver's writes the count of the last
 * statement ({@code changes()}, which sqlite-jdbc also reports as the update count of DDL) is put back to what the
 * application's last write left, by deleting as many rows from a scratch table in the temp schema (which even a
 * read-only connection may write); and the connection's {@code total_changes()} is replaced by one that leaves the
 * driver's rows out (an application-defined function overrides a built-in one of the same name). JDBC's update
 * count of a write needs neither: sqlite-jdbc reads it when the statement runs.
 */
final class OwnWrites {

    private static final String SCRATCH = "temp.\"_enhanced_sqlite_changes\"";
    private static final int SQLITE_LOCKED = 6;

    private final Connection sqlite;
    private final DB database;
    /** Rows the driver changed on this connection since it opened. */
    private long hiddenTotal;
    /** Inside {@link #begin}/{@link #end}: SQLite's total, and the application's last count, when they began. */
    private long totalBefore;
    private long changesBefore;
    /** The scratch table could not be dropped (another statement's rows were being read). */
    private boolean scratchLeft;

    private OwnWrites(Connection sqlite, DB database) {
        this.sqlite = sqlite;
        this.database = database;
    }

    /** Replaces {@code total_changes()} on the connection with the application's view of it. */
    static OwnWrites register(Connection sqlite) throws SQLException {
        SQLiteConnection connection = sqlite.unwrap(SQLiteConnection.class);
        OwnWrites writes = new OwnWrites(sqlite, connection.getDatabase());
        Function.create(connection, "total_changes", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(writes.totalChanges());
            }
        }, 0, 0);
        return writes;
    }

    /** The driver is about to write on the connection (on the thread running the application's statement). */
    synchronized void begin() throws SQLException {
        changesBefore = database.changes();
        totalBefore = database.total_changes();
    }

    /**
     * The driver's writes of {@link #begin} ended, done or failed. The count is put back whenever they moved it, also
     * when they changed no row, which sets it to 0 (a column that holds no envelope yet returned to plain storage
     * before a CREATE INDEX, which leaves the count as it finds it).
     */
    synchronized void end() {
        end(true);
    }

    /**
     * The driver's writes of {@link #begin} ended just before the application's write, which sets the count itself
     * once it completes: the count is put back only when the driver's writes changed rows, for a write that then
     * fails. Recording a column again in a transaction changes none, on every compressed write of a large import,
     * where a restore would cost five statements each.
     */
    synchronized void endBeforeWrite() {
        end(false);
    }

    private void end(boolean evenIfNoRowChanged) {
        try {
            boolean rowsChanged = database.total_changes() != totalBefore;
            if ((rowsChanged || evenIfNoRowChanged) && database.changes() != changesBefore) {
                restoreChanges();
            }
            hiddenTotal += database.total_changes() - totalBefore;
        } catch (SQLException e) {
            // the connection is closing, or a statement still returning rows keeps SQLite from writing: the count
            // of the last statement stays the driver's
        }
    }

    /** Makes {@code changes()} what it was at {@link #begin}: a DELETE of exactly that many scratch rows. */
    private void restoreChanges() throws SQLException {
        withQueryOnlyLifted(true);
    }

    /** {@link #restoreChanges}'s statements, then the scratch table dropped. */
    private void restoreThrough(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS " + SCRATCH + " (n INTEGER)");
        statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                + changesBefore + ") INSERT INTO " + SCRATCH + " SELECT i FROM n WHERE i <= " + changesBefore);
        statement.execute("DELETE FROM " + SCRATCH + " WHERE n > 0");
        dropScratch(statement);
    }

    /**
     * Drops the scratch table (DDL: leaves the count as the DELETE set it). While another statement's rows are being
     * read SQLite refuses to drop a table: it is left, empty, and dropped before a later statement.
     */
    private void dropScratch(Statement statement) throws SQLException {
        try {
            statement.execute("DROP TABLE IF EXISTS " + SCRATCH);
            scratchLeft = false;
        } catch (SQLException e) {
            if ((e.getErrorCode() & 0xFF) != SQLITE_LOCKED) {
                throw e;
            }
            scratchLeft = true;
        }
    }

    /** Before a statement: a scratch table left while rows were being read is dropped, once nothing reads. */
    synchronized void dropLeftScratch() {
        if (!scratchLeft) {
            return;
        }
        try {
            withQueryOnlyLifted(false);
        } catch (SQLException e) {
            // still being read: tried again before the next statement
        }
    }

    /**
     * {@code PRAGMA query_only} keeps the temp schema from being written too: lifted for the driver's work, which is
     * the restore of the count or only the drop of a scratch table left (a flag, not a lambda: this runs in a
     * process's first transactions, docs/ARCHITECTURE.md, "Start-up cost").
     */
    private void withQueryOnlyLifted(boolean restore) throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet queryOnly = statement.executeQuery("PRAGMA query_only")) {
            boolean restrained = queryOnly.next() && queryOnly.getInt(1) != 0;
            queryOnly.close();
            if (restrained) {
                statement.execute("PRAGMA query_only = 0");
            }
            try {
                if (restore) {
                    restoreThrough(statement);
                } else {
                    dropScratch(statement);
                }
            } finally {
                if (restrained) {
                    statement.execute("PRAGMA query_only = 1");
                }
            }
        }
    }

    private synchronized long totalChanges() throws SQLException {
        return database.total_changes() - hiddenTotal;
    }
}
