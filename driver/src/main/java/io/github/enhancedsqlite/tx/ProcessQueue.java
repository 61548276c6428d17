package io.github.enhancedsqlite.tx;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writers of every process on one database file, queued by the operating system: a process's writer turn also
 * holds a lock on a small file of our own under {@code java.io.tmpdir}, named after the database file's identity
 * (device and inode), so each process parks in the kernel until the turn is given back and the next in line is woken;
 * none polls. The database and its {@code -wal}/{@code -shm} are never locked here (closing any descriptor of a file
 * drops every POSIX lock the process holds on it, SQLite's own included), and nothing is left beside the database.
 *
 * <p>Two one-byte locks make the queue fair across processes: a writer first takes the entry lock, then the turn
 * lock, and lets go of the entry lock once it holds the turn. The kernel does not hand a released lock to a waiter;
 * whoever asks first gets it, which on its own would let the releasing process's next writer take the turn again and
 * again. With the entry lock, that next writer finds the entry held by the waiter of another process, which is
 * already waiting for the turn, and so queues behind it.
 *
 * <p>SQLite's locks stay the source of truth: the queue only orders who tries next. A process that cannot join it (no
 * writable temporary directory, another copy of the driver in this JVM holding the same lock file) writes without
 * it and waits out others through the busy retry, as before. Used only by the thread holding the JVM's writer turn of
 * the database, so calls never overlap; the turn's hand-off publishes the fields to the next holder.
 */
final class ProcessQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessQueue.class);
    private static final long ENTRY = 0;
    private static final long TURN = 1;

    private final Path database;
    private final String name;
    private Path lockFile;
    private FileChannel channel;
    private FileLock turn;
    /** Joining failed for a reason that will not go away: this process writes without the queue. */
    private boolean unavailable;
    /** The holder of this JVM's turn is parked in the kernel behind another process's writer. */
    private volatile boolean waiting;

    ProcessQueue(Path database, String name) {
        this.database = database;
        this.name = name;
    }

    /** Waits in the kernel until this process's writer may try SQLite's write lock; returns at once without a queue. */
    void enter() throws SQLException {
        if (unavailable) {
            return;
        }
        try {
            FileChannel open = channel();
            if (open == null) {
                return;
            }
            waiting = true;
            try {
                FileLock entry = open.lock(ENTRY, 1, false);
                try {
                    turn = open.lock(TURN, 1, false);
                } finally {
                    entry.release();
                }
            } finally {
                waiting = false;
            }
        } catch (ClosedByInterruptException e) {
            channel = null; // the interrupt closed it, dropping this process's locks on the lock file
            turn = null;
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the writer turn of " + name
                    + " behind another process", "HY008", e);
        } catch (OverlappingFileLockException e) {
            // another copy of the driver in this JVM (another class loader) has the same database open and queued
            turn = null;
        } catch (NoSuchFileException e) {
            turn = null; // no file yet (or no longer): nothing to queue for; the next turn looks again
        } catch (IOException e) {
            giveUp(e);
        }
    }

    /** Gives the turn to the next process in line; does nothing if this process did not queue. */
    void leave() {
        FileLock held = turn;
        if (held == null) {
            return;
        }
        turn = null;
        try {
            held.release();
        } catch (IOException e) {
            giveUp(e);
        }
    }

    /** Closes the lock file, which ends any lock this process holds on it; the file itself stays for other processes. */
    void close() {
        FileChannel open = channel;
        channel = null;
        turn = null;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.debug("Closing the writer queue file {} failed", lockFile, e);
            }
        }
    }

    /** What the holder of this JVM's turn is doing, when it waits in the queue; null otherwise. */
    String activity() {
        return waiting ? "waits in the kernel for the writer of another process on the same file (queue file "
                + lockFile + ")" : null;
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            if (lockFile == null) {
                lockFile = lockFileOf(database);
            }
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            shareWithOtherUsers(lockFile);
        }
        return channel;
    }

    private void giveUp(IOException e) {
        unavailable = true;
        close();
        LOG.warn("Writers of {} cannot queue with other processes through {} ({}); they wait out other processes'"
                + " locks by retrying instead", name, lockFile, e.toString());
    }

    /** Where the writers of the database file queue: one file per database identity under the temporary directory. */
    static Path lockFileOf(Path database) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(database, BasicFileAttributes.class);
        Object key = attributes.fileKey(); // (dev=…,ino=…) on Unix: the same file under every path and link
        String identity = key != null ? key.toString() : database.toRealPath().toString();
        return Path.of(System.getProperty("java.io.tmpdir"), "enhanced-sqlite-writers-" + hash(identity) + ".lock");
    }

    /** Processes of other users writing the same database must be able to open the same lock file. */
    private static void shareWithOtherUsers(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or another user's file already shared by its creator
        }
    }

    private static String hash(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
