package io.github.enhancedsqlite.tx;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A write refused at once because this thread already holds the database's write transaction on another connection,
 * or holds a lock of the application that the thread holding it waits for, so waiting for the writer turn would wait
 * for itself. It is reported as sqlite-jdbc reports a lock it could not
 * wait out — an {@link SQLiteException} with SQLITE_BUSY, its message beginning as sqlite-jdbc's does — so code written
 * for sqlite-jdbc that looks for "database is locked" or SQLITE_BUSY recognises it, and with SQLState 25001 (invalid
 * transaction state), which says that no wait or retry can end it: the driver never retries it
 * ({@link SqliteErrors#primaryCode}).
 */
final class WriteWouldWaitForItself extends SQLiteException {

    private static final long serialVersionUID = 1L;

    WriteWouldWaitForItself(String database) {
        super("[SQLITE_BUSY] The database file is locked (database is locked): this thread already holds the write"
                + " transaction of " + database + " on another connection, so this connection's write would wait for"
                + " it forever. Commit or roll back the first transaction before writing through a second connection"
                + " (for example two EntityManagers or DataSource connections open in one thread).",
                SQLiteErrorCode.SQLITE_BUSY);
    }

    /**
     * The thread holding the write transaction waits for a lock of the application that this thread holds
     * ({@link LockCycle}): the write would wait for this thread too, through that lock.
     */
    WriteWouldWaitForItself(String database, String holdingThread, String lock) {
        super("[SQLITE_BUSY] The database file is locked (database is locked): thread '" + holdingThread + "' holds"
                + " the write transaction of " + database + " and waits for a lock this thread holds (" + lock + "),"
                + " so this write would wait for it forever; it did not run. Release that lock before writing, or"
                + " take it before the other thread's transaction begins.",
                SQLiteErrorCode.SQLITE_BUSY);
    }

    @Override
    public String getSQLState() {
        return "25001";
    }
}
