package io.github.enhancedsqlite.exec;

import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * The rows the driver itself changes on one connection — columns returned to plain storage, a value escaped, the
 * record of compressed columns — kept out of what the application reads through SQL's {@code changes()} and
 * {@code total_changes()}, so both answer as with {@code compress=off}. SQLite counts every INSERT, UPDATE and DELETE
 * its connection completes and offers no way to leave one out, so the connection's own {@code changes()} and
 * {@code total_changes()} are replaced (an application-defined function overrides a built-in one of the same name):
 * the total less the rows the driver changed, and, while the last completed write was the driver's, the count the
 * application's own last write left. JDBC's update counts need none of this: sqlite-jdbc reads them when the
 * statement runs.
 */
final class OwnWrites {

    private static final long NONE = -1;

    private final DB database;
    /** Rows the driver changed on this connection since it opened. */
    private long hiddenTotal;
    /** What {@code changes()} shows while the driver's write was the last one; {@link #NONE} otherwise. */
    private long shownChanges = NONE;
    /** Inside {@link #begin}/{@link #end}: SQLite's total when the driver's writes began. */
    private long totalBefore;

    private OwnWrites(DB database) {
        this.database = database;
    }

    /** Replaces {@code changes()} and {@code total_changes()} on the connection with the application's view. */
    static OwnWrites register(Connection sqlite) throws SQLException {
        SQLiteConnection connection = sqlite.unwrap(SQLiteConnection.class);
        OwnWrites writes = new OwnWrites(connection.getDatabase());
        Function.create(connection, "changes", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(writes.changes());
            }
        }, 0, 0);
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
        if (shownChanges == NONE) {
            shownChanges = database.changes(); // what the application's last write left, until it writes again
        }
        totalBefore = database.total_changes();
    }

    /** The driver's writes of {@link #begin} ended, done or failed. */
    synchronized void end() {
        try {
            hiddenTotal += database.total_changes() - totalBefore;
        } catch (SQLException e) {
            // the connection is closing: nothing will ask for the count any more
        }
    }

    /** The application ran a statement that may write: from here {@code changes()} is SQLite's again. */
    synchronized void applicationWrote() {
        shownChanges = NONE;
    }

    private synchronized long changes() throws SQLException {
        return shownChanges == NONE ? database.changes() : shownChanges;
    }

    private synchronized long totalChanges() throws SQLException {
        return database.total_changes() - hiddenTotal;
    }
}
