package io.github.enhancedsqlite.pool;

import io.github.enhancedsqlite.config.DatabaseConfig;
import io.github.enhancedsqlite.config.DatabaseLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite's bare "unable to open database file", "file is not a database", "database disk image is
 * malformed" and "database or disk is full" at open into a sentence naming the file and the likely cause, found by
 * looking at the file system the way SQLite met it. The SQLState and error code stay SQLite's, so callers that
 * classify by them still can.
 */
final class OpenFailure {

    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;
    /** Longest file name (one path element) Linux, macOS and Windows file systems take, in bytes. */
    private static final int MAX_NAME_BYTES = 255;
    /** PATH_MAX on Linux, terminating NUL included. */
    private static final int MAX_PATH_BYTES = 4095;
    /** Space left below which a file system that answered "full" is taken to be full (an open needs a few pages). */
    private static final long FULL_BELOW_BYTES = 1 << 20;
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private OpenFailure() {
    }

    /** Whether {@code failure} is one of the errors about a file or its storage that {@link #explain} explains. */
    static boolean explains(SQLException failure) {
        int code = failure.getErrorCode() & 0xFF;
        return code == SQLITE_CANTOPEN || code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_FULL;
    }

    /** {@code failure} explained when it is one of the open errors about a database file; otherwise itself. */
    static SQLException explain(SQLException failure, DatabaseConfig config) {
        if (config.location().kind() != DatabaseLocation.Kind.FILE || !explains(failure)) {
            return failure;
        }
        int code = failure.getErrorCode() & 0xFF;
        Path file = Path.of(config.location().poolKey());
        String cause;
        switch (code) {
            case SQLITE_FULL:
                cause = full(file);
                break;
            case SQLITE_CANTOPEN:
                cause = cannotOpen(file);
                break;
            case SQLITE_NOTADB:
                cause = notADatabase(file);
                break;
            case SQLITE_CORRUPT:
                cause = "the file is damaged; restore it from a backup (the toolkit's verify command lists what is"
                        + " affected)";
                break;
            default:
                return failure;
        }
        // SQLite's own text stays first and a sqlite-jdbc exception keeps its class and result code: applications
        // (and sqlite-jdbc's own tests) match on the "[SQLITE_CANTOPEN]" prefix or read getResultCode()
        String message = failure.getMessage() + " — cannot open database " + file + ": " + cause + ".";
        SQLException explained = failure instanceof SQLiteException
                ? new SQLiteException(message, ((SQLiteException) failure).getResultCode())
                : new SQLException(message, failure.getSQLState(), failure.getErrorCode());
        explained.initCause(failure);
        return explained;
    }

    /**
     * SQLite could not write the file's first pages, its {@code -wal} or its {@code -shm}. Said with the space the
     * storage has left, since a disk quota or a {@code max_page_count} reports SQLITE_FULL where there is room.
     */
    private static String full(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        long usable;
        try {
            usable = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return "SQLite could not write it, its -wal or its -shm because the storage holding " + directory
                    + " is full; free space there";
        }
        if (usable < FULL_BELOW_BYTES) {
            return "the storage holding " + directory + " is full (" + usable + " bytes left), so SQLite could not"
                    + " write the file, its -wal or its -shm; free space there";
        }
        return "SQLite found no room to write it, its -wal or its -shm, although the storage holding " + directory
                + " has " + usable + " bytes left: a disk quota, or a max_page_count the URL sets";
    }

    private static String cannotOpen(Path file) {
        String tooLong = nameTooLong(file);
        if (tooLong != null) {
            return tooLong;
        }
        Path directory = file.getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            return Files.exists(directory) ? directory + " is not a directory"
                    : "its directory " + directory + " does not exist (SQLite creates the file, not its directories)";
        }
        if (Files.isDirectory(file)) {
            return "it is a directory, not a database file";
        }
        if (!Files.exists(file)) {
            return directory != null && !Files.isWritable(directory)
                    ? "it does not exist, and this process may not create files in " + directory
                    : "it does not exist and could not be created";
        }
        if (!Files.isReadable(file)) {
            return "this process may not read it (check its owner and permissions)";
        }
        Path shm = file.resolveSibling(file.getFileName() + "-shm");
        if (isWal(file) && !Files.exists(shm) && directory != null && !Files.isWritable(directory)) {
            return "it is a WAL database on storage this process cannot write, and its -shm file is missing; SQLite"
                    + " reads such a file only as immutable: use the URI file:" + file + "?immutable=1 if nothing"
                    + " else writes it, or copy it to writable storage";
        }
        return "SQLite could not open it (check its owner, permissions and storage)";
    }

    private static String nameTooLong(Path file) {
        int pathBytes = file.toString().getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > MAX_PATH_BYTES) {
            return "the path is " + pathBytes + " bytes long, more than the " + MAX_PATH_BYTES + " a path may have";
        }
        for (Path name : file) {
            int bytes = name.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_NAME_BYTES) {
                return "the name '" + shorten(name.toString()) + "' is " + bytes + " bytes long, more than the "
                        + MAX_NAME_BYTES + " a file name may have";
            }
        }
        return null;
    }

    private static String notADatabase(Path file) {
        byte[] header = header(file);
        if (header.length >= MAGIC.length && java.util.Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return "its header is damaged (the page size or format bytes after 'SQLite format 3' are invalid);"
                    + " restore it from a backup";
        }
        String begins = header.length == 0 ? "it is empty"
                : "it begins with " + printable(header) + " instead of 'SQLite format 3'";
        return "it is not an SQLite database (" + begins + "; an encrypted database needs the key of the build"
                + " that wrote it)";
    }

    /** Header bytes 18 and 19 (file format write and read version) are 2 in WAL mode. */
    private static boolean isWal(Path file) {
        byte[] header = header(file);
        return header.length >= 20 && header[18] == 2 && header[19] == 2;
    }

    private static byte[] header(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(100);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The first bytes as text when they are text, otherwise in hex. */
    private static String printable(byte[] header) {
        int length = Math.min(16, header.length);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int b = header[i] & 0xFF;
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b > 0x7E) {
                StringBuilder hex = new StringBuilder("bytes");
                for (int j = 0; j < length; j++) {
                    hex.append(String.format(" %02X", header[j] & 0xFF));
                }
                return hex.toString();
            }
            text.append(b == '\n' || b == '\r' || b == '\t' ? ' ' : (char) b);
        }
        return "the text '" + text + "'";
    }

    private static String shorten(String name) {
        return name.length() <= 40 ? name : name.substring(0, 20) + "…" + name.substring(name.length() - 12);
    }
}
