package io.github.enhancedsqlite.tx;

import java.sql.SQLException;
import org.sqlite.SQLiteException;

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
    static final int SQLITE_CONSTRAINT = 19;

    private SqliteErrors() {
    }

    /**
     * The primary result code of the first SQLite error in the cause chain, or -1. The driver's own refusal of a
     * write that would wait for itself says SQLITE_BUSY to sqlite-jdbc's callers but comes from no SQLite call: it
     * is no error of SQLite's (never retried, ends no transaction).
     */
    static int primaryCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WriteWouldWaitForItself) {
                return -1;
            }
            if (t instanceof SQLException && ((SQLException) t).getErrorCode() > 0) {
                return ((SQLException) t).getErrorCode() & 0xFF;
            }
        }
        return -1;
    }

    /** SQLITE_LOCKED_SHAREDCACHE: another connection of a shared cache holds a table lock. */
    static final int SQLITE_LOCKED_SHAREDCACHE = SQLITE_LOCKED | (1 << 8);

    /**
     * SQLITE_BUSY with any extended code, or SQLITE_LOCKED caused by another connection of a shared cache: another
     * connection holds what we need, so waiting for it and running again can succeed. Plain SQLITE_LOCKED is not:
     * outside a shared cache it means this same connection is in its own way (see {@link #isLockedBySelf}).
     */
    public static boolean isBusyOrLocked(Throwable error) {
        int code = primaryCode(error);
        return code == SQLITE_BUSY || (code == SQLITE_LOCKED && extendedCode(error) != SQLITE_LOCKED);
    }

    /** SQLITE_BUSY_SNAPSHOT: a reader's snapshot is older than the database's last commit, so it cannot write. */
    static boolean isBusySnapshot(Throwable error) {
        return extendedCode(error) == (SQLITE_BUSY | (2 << 8));
    }

    /**
     * SQLITE_LOCKED with no extended code: a statement of the same connection conflicts, typically a DROP TABLE
     * while one of its own cursors is still open on the table. Nothing another connection does can release it,
     * so no retry can succeed.
     */
    public static boolean isLockedBySelf(Throwable error) {
        return primaryCode(error) == SQLITE_LOCKED && extendedCode(error) == SQLITE_LOCKED;
    }

    /** The extended result code of the first sqlite-jdbc exception in the cause chain, or -1 when none tells. */
    static int extendedCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException && ((SQLiteException) t).getResultCode() != null) {
                int code = ((SQLiteException) t).getResultCode().code;
                return code > 0 ? code : -1;
            }
        }
        return -1;
    }

    public static boolean isInterrupt(Throwable error) {
        return primaryCode(error) == SQLITE_INTERRUPT;
    }

    /**
     * Errors after which SQLite may have rolled the whole transaction back on its own
     * (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction"); a constraint does
     * when the statement said so: {@code INSERT OR ROLLBACK}, {@code ON CONFLICT ROLLBACK} in the table's definition,
     * {@code RAISE(ROLLBACK, …)} in a trigger.
     */
    static boolean mayEndTransaction(Throwable error) {
        int code = primaryCode(error);
        return code == SQLITE_BUSY || code == SQLITE_NOMEM || code == SQLITE_INTERRUPT || code == SQLITE_IOERR
                || code == SQLITE_FULL || code == SQLITE_CONSTRAINT;
    }
}
