package io.github.enhancedsqlite.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A database file the user named, checked before any command touches it, and the plain sqlite-jdbc connections
 * the commands read and copy it with. Plain connections never create a file (a typo must not leave an empty
 * database behind) and wait out other processes' locks.
 */
final class DatabaseFile {

    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private final Path path;

    private DatabaseFile(Path path) {
        this.path = path;
    }

    /** An existing, readable SQLite database file; anything else is a {@link ExitCodes#FILE} error saying what. */
    static DatabaseFile existing(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new ToolException(ExitCodes.FILE, absolute + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new ToolException(ExitCodes.FILE, absolute + " is a directory, not a SQLite database file");
        }
        if (!Files.isReadable(absolute)) {
            throw new ToolException(ExitCodes.FILE, absolute + " cannot be read (permission denied)");
        }
        byte[] start = new byte[HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(absolute)) {
            read = in.readNBytes(start, 0, start.length);
        } catch (IOException e) {
            throw new ToolException(ExitCodes.FILE, absolute + " cannot be read: " + e.getMessage(), e);
        }
        if (read == 0) {
            throw new ToolException(ExitCodes.FILE, absolute + " is empty (0 bytes), not a SQLite database");
        }
        if (read < HEADER.length || !Arrays.equals(start, HEADER)) {
            throw new ToolException(ExitCodes.FILE, absolute
                    + " is not a SQLite database: it does not begin with the header \"SQLite format 3\"");
        }
        return new DatabaseFile(absolute);
    }

    Path path() {
        return path;
    }

    Path sidecar(String suffix) {
        return path.resolveSibling(path.getFileName() + suffix);
    }

    /** Refuses to work on a database in place when the file or its directory (for -wal/-shm) is not writable. */
    DatabaseFile requireWritable(String command) {
        if (!Files.isWritable(path)) {
            throw new ToolException(ExitCodes.FILE, path + " is read-only; " + command + " changes it in place");
        }
        if (!Files.isWritable(path.getParent())) {
            throw new ToolException(ExitCodes.FILE, "the directory " + path.getParent() + " is read-only; " + command
                    + " needs to create " + path.getFileName() + "-wal and -shm there");
        }
        return this;
    }

    /**
     * A file a command is about to create: it must not exist (nothing is ever overwritten) and its directory must
     * exist and be writable.
     */
    static Path newFile(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            throw new ToolException(ExitCodes.FILE, absolute + " already exists; name a new file (nothing is overwritten)");
        }
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new ToolException(ExitCodes.FILE, "the directory " + directory + " does not exist");
        }
        if (!Files.isWritable(directory) || !canCreateIn(directory)) {
            throw new ToolException(ExitCodes.FILE, "cannot create " + absolute + ": the directory is read-only");
        }
        return absolute;
    }

    /**
     * Whether a file can really be created in the directory. Permission bits say nothing for root, and a read-only
     * mount or a pseudo file system refuses anyway; only trying tells, before any work is done.
     */
    private static boolean canCreateIn(Path directory) {
        try {
            Files.delete(Files.createTempFile(directory, ".enhanced-sqlite-probe-", ".tmp"));
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** A plain sqlite-jdbc connection (its own defaults, no profile) that reads the schema once to fail early. */
    Connection open(boolean readOnly) {
        return open(path, readOnly);
    }

    /**
     * A read-only use still opens the file for writing (SQLite falls back to reading where it may not write) and
     * sets {@code query_only}: a connection opened read-only cannot checkpoint, so as the last one to close a WAL
     * database it would leave -wal and -shm behind.
     */
    static Connection open(Path path, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try {
            Connection connection = JDBC.createConnection(JDBC.PREFIX + path, config.toProperties());
            try (Statement statement = connection.createStatement()) {
                if (readOnly) {
                    statement.execute("PRAGMA query_only=1");
                }
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                    count.next();
                }
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        } catch (SQLException e) {
            throw explain(e, path);
        }
    }

    /** Turns a SQLite failure on a file into the sentence and exit code the user needs. */
    static ToolException explain(SQLException e, Path path) {
        String reason = e.getMessage();
        switch (e.getErrorCode() & 0xFF) {
            case 26: // SQLITE_NOTADB
                return new ToolException(ExitCodes.FILE, path + " is not a SQLite database (" + reason + ")", e);
            case 11: // SQLITE_CORRUPT
                return new ToolException(ExitCodes.FILE, path + " is corrupt (" + reason
                        + "); restore it from a backup", e);
            case 14: // SQLITE_CANTOPEN
                return new ToolException(ExitCodes.FILE, "cannot open " + path + " (" + reason + ")", e);
            case 8: // SQLITE_READONLY
                return new ToolException(ExitCodes.FILE, path + " cannot be written (" + reason + ")", e);
            case 10: // SQLITE_IOERR
            case 13: // SQLITE_FULL
                return new ToolException(ExitCodes.FILE, "input/output error on " + path + " (" + reason + ")", e);
            case 5: // SQLITE_BUSY
            case 6: // SQLITE_LOCKED
                return new ToolException(ExitCodes.REFUSED, path + " stayed locked by another connection for "
                        + BUSY_TIMEOUT_MILLIS / 1000 + " s (" + reason + "); try again when it is less busy", e);
            default:
                return new ToolException(ExitCodes.FAILED, "SQLite failed on " + path + ": " + reason, e);
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
