package io.github.enhancedsqlite.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConnection;

/**
 * A consistent copy of a live database through SQLite's online backup API, never a file copy: copying the file
 * while a process writes pairs pages from different moments (and an old -wal with a new file), which is how
 * databases get corrupted. The copy is made in one backup step, i.e. inside one read transaction: it is exactly
 * the database as of one commit. In WAL mode writers keep committing meanwhile; in rollback-journal mode they wait
 * for the copy, as SQLite's locking requires. (Copying in several steps would restart from scratch after every
 * write by another process and might never finish beside a busy writer.)
 */
final class OnlineBackup {

    private OnlineBackup() {
    }

    /**
     * Copies {@code source} to the new file {@code target} and turns the copy into a self-contained
     * rollback-journal database (one file, no -wal to forget), checked with {@code quick_check}.
     */
    static void copy(DatabaseFile source, Path target, PrintWriter err) {
        DatabaseFile.newFile(target);
        // Written under a temporary name and renamed when complete and checked: an interrupted copy never leaves a
        // file that looks like a finished backup.
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        deleteQuietly(partial); // only an earlier interrupted copy leaves this name behind
        try (Connection connection = source.open(true)) {
            long bytes = DatabaseFile.number(connection, "PRAGMA page_count")
                    * DatabaseFile.number(connection, "PRAGMA page_size");
            ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "backup-progress");
                thread.setDaemon(true);
                return thread;
            });
            try (Progress progress = new Progress(err, "backup", bytes, "bytes")) {
                watcher.scheduleAtFixedRate(() -> progress.set(DatabaseFile.sizeOf(partial)), 200, 200,
                        TimeUnit.MILLISECONDS);
                int result = connection.unwrap(SQLiteConnection.class).getDatabase().backup("main", partial.toString(),
                        (remaining, total) -> { }, 100, 100, -1);
                if (result != 0 && result != 101) { // SQLITE_OK, SQLITE_DONE
                    throw new SQLException("the backup ended with SQLite result code " + result, null, result);
                }
                progress.set(bytes);
            } finally {
                watcher.shutdownNow();
            }
        } catch (SQLException e) {
            deleteQuietly(partial);
            throw DatabaseFile.explain(e, source.path());
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        try (Connection copy = DatabaseFile.open(partial, false); Statement statement = copy.createStatement()) {
            statement.execute("PRAGMA journal_mode=DELETE");
            String check = DatabaseFile.text(copy, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new ToolException(ExitCodes.FAILED, "the copy of " + source.path() + " failed quick_check: "
                        + check);
            }
        } catch (SQLException e) {
            deleteQuietly(partial);
            throw DatabaseFile.explain(e, target);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new ToolException(ExitCodes.FILE, "cannot rename the finished copy to " + target + ": " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException e) {
                // best effort: the message about the original failure matters more
            }
        }
    }
}
