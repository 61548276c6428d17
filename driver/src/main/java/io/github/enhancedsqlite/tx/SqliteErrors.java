package io.github.enhancedsqlite.tx;

import java.sql.SQLException;

/**
 * Classifies sqlite-jdbc exceptions by SQLite's result code. sqlite-jdbc reports the primary code as the error
 * code and the extended one (517 for SQLITE_BUSY_SNAPSHOT, 262 for SQLITE_LOCKED_SHAREDCACHE) through its
 * result code; classifying by the low byte covers both, and extended codes sqlite-jdbc has no name for.
 */
public final class SqliteErrors {

    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_NOMEM = 7;
    static final int SQLITE_INTERRUPT = 9;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_FULL = 13;

    private SqliteErrors() {
    }

    /** The primary result code of the first SQLite error in the cause chain, or -1. */
    static int primaryCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException && ((SQLException) t).getErrorCode() > 0) {
                return ((SQLException) t).getErrorCode() & 0xFF;
            }
        }
        return -1;
    }

    /** SQLITE_BUSY or SQLITE_LOCKED with any extended code: another connection holds what we need. */
    public static boolean isBusyOrLocked(Throwable error) {
        int code = primaryCode(error);
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }

    public static boolean isInterrupt(Throwable error) {
        return primaryCode(error) == SQLITE_INTERRUPT;
    }

    /**
     * Errors after which SQLite may have rolled the whole transaction back on its own
     * (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction").
     */
    static boolean mayEndTransaction(Throwable error) {
        int code = primaryCode(error);
        return code == SQLITE_BUSY || code == SQLITE_NOMEM || code == SQLITE_INTERRUPT || code == SQLITE_IOERR
                || code == SQLITE_FULL;
    }
}
