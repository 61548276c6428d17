package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.tx.OpenedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database file a pool's connections have open, and whether its path still names it. SQLite keeps working on a
 * file deleted or renamed under it, but anything opened at the path afterwards is another database: an empty file
 * that SQLite would pair with the old file's -wal and -shm, still named after the path. So the pool notices the
 * change (the file's identity, its inode where the platform has one, compared at each borrow: one stat) and closes.
 * The writer turn looks too, as each write transaction begins (see {@code WriterGate}), so a connection lent out
 * before the change fails its writes instead of writing where nobody will read them.
 */
final class PoolFile implements OpenedFile {

    private static final Logger LOG = LoggerFactory.getLogger(PoolFile.class);

    private final Path path;
    /** What the path named when the first connection opened; null until then. */
    private final AtomicReference<Object> identity = new AtomicReference<>();
    private volatile boolean markedReplaced;

    PoolFile(Path path) {
        this.path = path;
    }

    /** A connection opened the file: the first one fixes which file the pool is about. */
    void opened() {
        if (identity.get() == null) {
            Object now = currentIdentity();
            if (now != MISSING && now != UNKNOWN) {
                identity.compareAndSet(null, now);
            }
        }
    }

    /** True when the path no longer names the file the pool opened (deleted, renamed, or another file moved in). */
    @Override
    public boolean replaced() {
        Object opened = identity.get();
        if (opened == null) {
            return false;
        }
        Object now = currentIdentity();
        // a stat that failed for another reason than a missing file proves nothing: keep the pool
        return now == MISSING || now != UNKNOWN && !now.equals(opened);
    }

    @Override
    public String path() {
        return path.toString();
    }

    /** The pool is closing because of a replacement: the last connection to close tidies up (see below). */
    void markReplaced() {
        markedReplaced = true;
    }

    boolean isMarkedReplaced() {
        return markedReplaced;
    }

    SQLException replacedError() {
        return new SQLNonTransientConnectionException("The database file " + path + " was deleted or replaced"
                + " while its pool was open; that pool is closing. Connect again to open the file now at that path.",
                "08003");
    }

    /**
     * Runs on the last connection of a pool whose file was replaced, just before it closes. SQLite does not
     * checkpoint or remove the -wal and -shm of a file that moved, and they are named after the path, where they
     * would meet the next database. Leaving WAL mode does both: it copies every committed write into the file (which
     * may live on under its new name) and removes the -wal and -shm. SQLite allows that only when no other
     * connection, in any process, has the file open; otherwise they stay, as they must. The rest of the switch
     * (rewriting the header through a rollback journal named after the path) SQLite refuses with
     * SQLITE_READONLY_DBMOVED, so the file stays a WAL database, as it was.
     */
    void tidyAfterReplacement(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            quietly(statement, "ROLLBACK"); // a transaction cut off by the pool's close
            quietly(statement, "PRAGMA query_only = 0");
            quietly(statement, "PRAGMA busy_timeout = 0"); // another process's lock means: leave the files
            quietly(statement, "PRAGMA journal_mode = DELETE");
        } catch (SQLException e) {
            LOG.debug("Tidying up after the replaced database file {} failed", path, e);
        }
        if (walLeft()) {
            LOG.warn("The database file {} was deleted or replaced while open and another connection still uses it:"
                    + " its -wal and -shm stay at the old path", path);
        }
    }

    /** Whether the file's -wal exists. */
    boolean walLeft() {
        return Files.exists(path.resolveSibling(path.getFileName() + "-wal"));
    }

    private static void quietly(Statement statement, String sql) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            // nothing to roll back; the journal mode switch ends in SQLITE_READONLY_DBMOVED (see above)
        }
    }

    /** No link options (symbolic links followed), as one array: this runs at every borrow. */
    private static final LinkOption[] FOLLOW_LINKS = {};
    private static final Object MISSING = new Object();
    private static final Object UNKNOWN = new Object();

    private Object currentIdentity() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, FOLLOW_LINKS);
            Object key = attributes.fileKey();
            // no file key on some platforms (Windows): a file created anew there has another creation time
            return key != null ? key : attributes.creationTime();
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
