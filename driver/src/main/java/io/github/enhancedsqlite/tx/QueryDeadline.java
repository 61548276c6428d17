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
    private volatile boolean fired;

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
    public void run() {
        fired = true;
        try {
            database.interrupt();
        } catch (SQLException e) {
            // the connection closed meanwhile: nothing left to stop
        }
    }

    /** Ends the deadline; true when it had already stopped the statement. */
    public boolean finish() {
        timer.cancel(false);
        return fired;
    }
}
