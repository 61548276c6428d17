package io.github.enhancedsqlite.tx;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * Makes {@code setQueryTimeout} stop a running statement: sqlite-jdbc only turns it into a busy timeout, which
 * does nothing to a slow query. When the deadline passes, sqlite3_interrupt makes the statement return
 * SQLITE_INTERRUPT.
 */
public final class QueryDeadline implements Runnable {

    private final DB database;
    private final ScheduledFuture<?> timer;
    /** Guarded by this: the interrupt and the end of the execution exclude each other (see {@link #finish()}). */
    private boolean fired;
    private boolean finished;

    private QueryDeadline(DB database, TransactionTimer timer, long millis) {
        this.database = database;
        this.timer = timer.schedule(this, millis);
    }

    /** Starts the deadline of one execution on the database's timer; null when the statement has no timeout. */
    static QueryDeadline start(TransactionTimer timer, Connection sqlite, int seconds) throws SQLException {
        if (seconds <= 0) {
            return null;
        }
        return new QueryDeadline(sqlite.unwrap(SQLiteConnection.class).getDatabase(), timer, seconds * 1000L);
    }

    @Override
    public synchronized void run() {
        if (finished) {
            return; // the statement ended first: an interrupt now would fail the connection's next statement
        }
        fired = true;
        try {
            database.interrupt();
        } catch (SQLException e) {
            // the connection closed meanwhile: nothing left to stop
        }
    }

    /**
     * Ends the deadline; true when it interrupted the connection. No interrupt comes after this returns, so a caller
     * told true knows SQLite may still hold one pending, even for a statement that ended without seeing it.
     */
    public synchronized boolean finish() {
        finished = true;
        timer.cancel(false);
        return fired;
    }
}
