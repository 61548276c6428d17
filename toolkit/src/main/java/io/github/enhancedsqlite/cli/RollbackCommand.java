package io.github.enhancedsqlite.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Restores the pre-migration backup (DB.pre-migration, written by migrate) into DB through "
                + "SQLite itself: the database is locked exclusively, its WAL checkpointed and removed (no -wal or "
                + "-shm is left to pair with the restored file), and the backup's pages are copied in.",
                "Refuses while another process has the database open; stop the applications first. The backup "
                        + "file is kept. The restored database is in rollback-journal mode (DELETE)."})
final class RollbackCommand implements Callable<Integer> {

    /** Lock waits are short here: a database that stays locked is in use, and rollback refuses. */
    private static final int LOCK_WAIT_MILLIS = 1_000;

    @Parameters(index = "0", paramLabel = "DB", description = "the migrated database to restore")
    Path database;

    @Option(names = "--backup", paramLabel = "FILE",
            description = "the backup to restore (default DB" + MigrateCommand.BACKUP_SUFFIX + ")")
    Path backupPath;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatabaseFile file = DatabaseFile.existing(database).requireWritable("rollback");
        Path backupFile = (backupPath != null ? backupPath : file.sidecar(MigrateCommand.BACKUP_SUFFIX))
                .toAbsolutePath().normalize();
        if (!Files.exists(backupFile)) {
            throw new ToolException(ExitCodes.REFUSED, "there is no pre-migration backup " + backupFile
                    + " to restore; name one with --backup FILE");
        }
        DatabaseFile backup = DatabaseFile.existing(backupFile);
        try (Connection check = backup.open(true)) {
            String result = DatabaseFile.text(check, "PRAGMA quick_check");
            if (!"ok".equals(result)) {
                throw new ToolException(ExitCodes.FILE, "the backup " + backupFile + " is damaged (quick_check: "
                        + result + "); nothing was restored");
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, backupFile);
        }
        try (Connection connection = openExclusive(file)) {
            int result = connection.unwrap(SQLiteConnection.class).getDatabase()
                    .restore("main", backupFile.toString(), (remaining, total) -> { }, 100, 10, -1);
            if (result != 0 && result != 101) { // SQLITE_OK, SQLITE_DONE
                throw new ToolException(ExitCodes.FAILED, "restoring " + backupFile + " ended with SQLite result code "
                        + result + "; the database is unchanged or partly restored: run rollback again");
            }
            String check = DatabaseFile.text(connection, "PRAGMA quick_check");
            if (!"ok".equals(check)) {
                throw new ToolException(ExitCodes.FAILED, "the restored database fails quick_check (" + check
                        + "); run rollback again");
            }
            // Still holding the exclusive lock, and out of WAL mode: a -shm left by an earlier read-only opener
            // belongs to nobody now, and removing it here cannot race with a process that uses it.
            Files.deleteIfExists(file.sidecar("-shm"));
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        } catch (java.io.IOException e) {
            throw new ToolException(ExitCodes.FILE, "cannot remove " + file.sidecar("-shm") + ": " + e.getMessage(), e);
        }
        for (String suffix : new String[] {"-wal", "-shm"}) {
            if (Files.exists(file.sidecar(suffix))) {
                throw new ToolException(ExitCodes.FAILED, file.sidecar(suffix) + " is still present after the restore;"
                        + " is another process opening the database?");
            }
        }
        out.println("Restored " + file.path() + " from " + backupFile + " (quick_check ok; the backup is kept).");
        return ExitCodes.OK;
    }

    /**
     * A connection that holds the database alone: exclusive locking mode, out of WAL (which checkpoints and
     * deletes the -wal), and an exclusive lock taken. SQLite refuses each step while another connection has the
     * database open in WAL mode or holds any lock, and that refusal is what tells that the database is in use.
     */
    private static Connection openExclusive(DatabaseFile file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout(LOCK_WAIT_MILLIS);
        Connection connection = JDBC.createConnection(JDBC.PREFIX + file.path(), config.toProperties());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA locking_mode=EXCLUSIVE");
            String mode = DatabaseFile.text(connection, "PRAGMA journal_mode=DELETE");
            if (!"delete".equalsIgnoreCase(mode)) {
                throw inUse(file, "it stays in " + mode + " mode");
            }
            statement.execute("BEGIN EXCLUSIVE");
            statement.execute("COMMIT"); // in exclusive locking mode the lock outlives the transaction
            return connection;
        } catch (SQLException e) {
            connection.close();
            int code = e.getErrorCode() & 0xFF;
            if (code == 5 || code == 6) { // SQLITE_BUSY, SQLITE_LOCKED
                throw inUse(file, e.getMessage());
            }
            throw e;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static ToolException inUse(DatabaseFile file, String detail) {
        return new ToolException(ExitCodes.REFUSED, file.path() + " is in use by another process (" + detail
                + "); nothing was restored. Stop the applications using it, then run rollback again");
    }
}
