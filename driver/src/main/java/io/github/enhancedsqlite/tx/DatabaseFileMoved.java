package io.github.enhancedsqlite.tx;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A write refused because the database file was renamed, deleted or replaced since its connections opened it. SQLite
 * refuses such a write itself only in rollback-journal mode, where it looks at the path before it opens the journal;
 * in WAL mode it would write into the file no longer at the path, and into nothing at all once a deleted file's last
 * descriptor closes. Reported as SQLite reports it there (SQLITE_READONLY_DBMOVED, the message beginning as
 * sqlite-jdbc's does), so code written for sqlite-jdbc recognises it; never retried: only a new connection, which
 * opens the file now at the path, can write.
 */
final class DatabaseFileMoved extends SQLiteException {

    private static final long serialVersionUID = 1L;

    DatabaseFileMoved(String path) {
        super("[SQLITE_READONLY_DBMOVED] " + SQLiteErrorCode.SQLITE_READONLY_DBMOVED.message
                + " (attempt to write a readonly database): " + path + " was renamed, deleted or replaced while this"
                + " connection had it open, so the write would not reach the file at that path. Close the connection"
                + " and connect again to write to the file now at the path.", SQLiteErrorCode.SQLITE_READONLY_DBMOVED);
    }
}
