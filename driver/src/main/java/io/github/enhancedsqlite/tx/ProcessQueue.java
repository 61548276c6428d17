package io.github.enhancedsqlite.tx;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writers of every process on one database file, queued by the operating system: a process's writers hold a lock
 * on a small file of our own under {@code java.io.tmpdir}, named after the database file's identity (device and
 * inode), so the writer of another process parks in the kernel until the turn is given back and is then woken; none
 * polls. The database and its {@code -wal}/{@code -shm} are never locked here (closing any descriptor of a file drops
 * every POSIX lock the process holds on it, SQLite's own included), and nothing is left beside the database.
 *
 * <p>Two one-byte locks make the queue fair across processes: a writer first takes the entry lock, then the turn
 * lock, and lets go of the entry lock once it holds the turn. The kernel does not hand a released lock to a waiter;
 * whoever asks first gets it, which on its own would let the releasing process's next writer take the turn again and
 * again. With the entry lock, that next writer finds the entry held by the waiter of another process, which is
 * already waiting for the turn, and so queues behind it.
 *
 * <p>The process's turn is the JVM's, not one writer's: taken by the first of this JVM's writers, it passes from one
 * to the next inside the JVM without a system call for as long as any of them holds or waits for the JVM's writer
 * turn, and is given back when the last of them leaves. Taking and giving back the two locks on every turn cost about
 * 3 µs, a sixth of an uncontended auto-commit update, all of it while holding the JVM's turn. So that a JVM whose
 * writers never pause does not keep other processes out, a writer ending its turn gives the process's turn back once
 * the JVM has held it for {@link #HOLD_NANOS}; the JVM's next writer then queues for it again, behind any writer of
 * another process already waiting.
 *
 * <p>A pool that created its database file joins only once another process queues on it
 * ({@code joinWhenOthersQueue}): the file is new, so any other process that writes it opened it after us, found it
 * existing and created the queue file, which this process's next writer finds (one {@code stat} per turn taken while
 * it has not joined). A test suite's or a script's new files then cost no queue file: creating and removing one took
 * about 0.4 ms of the 4-6 ms of a file used briefly. Until then a writer of the other process that meets this one's lock
 * waits it out through SQLite's busy handling, as a process that cannot join does. The file found first may be the
 * leftover of a killed process whose database had the same inode; it is removed unless in use ({@code removedLeftover}).
 *
 * <p>SQLite's locks stay the source of truth: the queue only orders who tries next. A process that cannot join it (no
 * writable temporary directory, another copy of the driver in this JVM holding the same lock file) writes without
 * it and waits out others through the busy retry, as before. A process that dies holding the turn loses its locks
 * with it: the kernel drops them.
 */
final class ProcessQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessQueue.class);
    private static final long ENTRY = 0;
    private static final long TURN = 1;
    /**
     * The byte past the two lock bytes where a process that removes the file marks it removed first. Whoever holds
     * the turn lock of a file so marked holds it on a file no longer at the path (its descriptor outlived the
     * removal), where no other process queues: it opens the file at the path and queues again.
     */
    private static final long REMOVED_MARK = 2;
    private static final byte REMOVED = 1;
    /**
     * How long this JVM's writers may pass the process's turn among themselves before a writer of another process,
     * waiting for it, gets it: long beside a write (tens of microseconds), short beside what a writer of another
     * process waits in the kernel anyway behind one write transaction.
     */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Path database;
    private final String name;
    /** Joins only once the queue file exists: the pool created the database file (see the class comment). */
    private final boolean joinWhenOthersQueue;
    /** How long this JVM's writers pass the turn among themselves before letting another process's writer in. */
    private final long holdNanos;
    private final DatabaseMetrics metrics;
    /** This JVM's writers holding or waiting for its writer turn: while there are any, the process keeps its turn. */
    private final AtomicInteger writers = new AtomicInteger();
    /** Serializes the system calls and guards the file's state below; never held by a thread that waits for it long. */
    private final ReentrantLock locks = new ReentrantLock();
    private Path lockFile;
    private volatile FileChannel channel;
    /** One byte read from or written to {@link #REMOVED_MARK}; under {@link #locks}. */
    private final ByteBuffer mark = ByteBuffer.allocate(1);
    private FileLock turn;
    /** This process holds the turn lock: this JVM's writer turn may write without a system call. */
    private volatile boolean held;
    /** When the process took the turn, by {@link System#nanoTime()}. */
    private volatile long heldSince;
    /** How many times this process took the turn lock (a figure for tests and the bench). */
    private volatile long taken;
    /** Joining failed for a reason that will not go away: this process writes without the queue. */
    private boolean unavailable;
    /** A pool that created its database has looked whether the queue file it first found is a leftover. */
    private boolean lookedForLeftover;
    /** The holder of this JVM's turn is parked in the kernel behind another process's writer. */
    private volatile boolean waiting;
    /** The process's last take of the turn waited for a writer of another process (see {@link #sharedWithOthers}). */
    private volatile boolean waitedLastTake;

    /** @param joinWhenOthersQueue join only once another process created the queue file (this one created the database) */
    ProcessQueue(Path database, String name, long holdNanos, DatabaseMetrics metrics, boolean joinWhenOthersQueue) {
        this.database = database;
        this.name = name;
        this.joinWhenOthersQueue = joinWhenOthersQueue;
        this.holdNanos = holdNanos;
        this.metrics = metrics;
    }

    /** A writer of this JVM begins to wait for the JVM's writer turn; it must {@link #depart()} after. */
    void arrive() {
        writers.incrementAndGet();
    }

    /**
     * For the holder of the JVM's writer turn: waits in the kernel until this process may try SQLite's write lock.
     * Returns at once when the process holds the turn already (a writer of this JVM before it took it), cannot queue,
     * or has not joined a queue no other process has created yet.
     */
    void enter() throws SQLException {
        if (held) { // read after this writer's arrive(): a departing writer that saw no writer has not given it back
            return;
        }
        locks.lock();
        try {
            if (!held && !unavailable && (channel != null || !joinWhenOthersQueue || anotherProcessQueues())) {
                take();
            }
        } finally {
            locks.unlock();
        }
    }

    /**
     * For the holder of the JVM's writer turn, as it ends: gives the process's turn back when the JVM has held it for
     * {@code holdNanos} ({@link #HOLD_NANOS}), so the writer of another process waiting for it goes next; this JVM's next writer queues
     * again. Before the JVM's turn is handed on, so that writer finds the process's turn given back.
     */
    void yieldIfHeldLong() {
        if (held && System.nanoTime() - heldSince >= holdNanos) {
            locks.lock();
            try {
                if (held) {
                    held = false;
                    giveBack();
                }
            } finally {
                locks.unlock();
            }
        }
    }

    /**
     * A writer of this JVM no longer holds or waits for the JVM's turn. The last one gives the process's turn back,
     * after the JVM's turn was handed on, so the system call delays none of this JVM's writers; a writer arriving
     * before it is done keeps the turn instead.
     */
    void depart() {
        if (writers.decrementAndGet() == 0 && held) {
            giveBackIfIdle(false);
        }
    }

    /**
     * Closes this JVM's descriptor of the queue file while no writer of this JVM holds or waits for the turn, so a pool
     * kept open while idle holds none for it; the next writer opens it again. Does nothing otherwise.
     */
    void closeIfIdle() {
        if (writers.get() == 0) {
            giveBackIfIdle(true);
        }
    }

    /**
     * Closes the lock file, which ends any lock this process holds on it, and removes the file when no process queues
     * on it now (a file per database would otherwise pile up in the temporary directory, one for every file a test
     * suite ever wrote). A process whose descriptor outlives the removal notices it when it next takes the turn.
     */
    void close() {
        held = false;
        FileChannel open = channel;
        if (open != null && !unavailable && locks.tryLock()) {
            try {
                removeIfUnused(open);
            } finally {
                locks.unlock();
            }
        }
        closeChannel();
    }

    private void closeChannel() {
        held = false;
        FileChannel open = channel;
        channel = null;
        if (open != null) {
            try {
                open.close(); // a writer parked in the kernel on it wakes with AsynchronousCloseException
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

    /**
     * Whether writers of other processes take turns with this JVM's now: the process's last take of the turn waited
     * for one. It is taken again at least every {@code holdNanos} while this JVM writes, so the answer follows the
     * other processes within a few milliseconds of their starting or stopping.
     */
    boolean sharedWithOthers() {
        return waitedLastTake;
    }

    /** For tests: as if the process's last take of the turn had waited (or not) for a writer of another process. */
    void assumeSharedWithOthers(boolean shared) {
        waitedLastTake = shared;
    }

    /** How long this JVM's writers keep the process's turn among themselves. */
    long holdNanos() {
        return holdNanos;
    }

    /** How many times this process has taken the turn lock so far. */
    long turnsTaken() {
        return taken;
    }

    /** Whether this process holds the turn lock now, by its own account. */
    boolean holdsTurn() {
        return held;
    }

    /** This JVM's writers holding or waiting for its writer turn now. */
    int writers() {
        return writers.get();
    }

    /**
     * Gives the turn back (and closes the file, if asked) unless a writer of this JVM arrived meanwhile. A writer that
     * arrives reads {@link #held} after counting itself, and this reads the count after clearing it: one of the two
     * sees the other, so a writer never goes on thinking the turn held when it was given back.
     *
     * <p>A thread that finds the file busy leaves it to the thread at it: a writer of this JVM (counted, so it looks
     * again when it departs) or one giving the turn back or closing the file, which looks again after letting go of
     * the file. That second look is what keeps a departure that came while this one held the file, and saw it busy,
     * from leaving an idle JVM holding the turn.
     */
    private void giveBackIfIdle(boolean closeFile) {
        do {
            if (!locks.tryLock()) {
                return;
            }
            try {
                if (writers.get() != 0) {
                    continue;
                }
                boolean wasHeld = held;
                held = false;
                if (writers.get() != 0) {
                    held = wasHeld;
                    continue;
                }
                if (closeFile) {
                    if (!unavailable && channel != null) {
                        removeIfUnused(channel);
                    }
                    turn = null;
                    closeChannel();
                } else if (wasHeld) {
                    giveBack();
                }
            } finally {
                locks.unlock();
            }
        } while (held && writers.get() == 0);
    }

    /**
     * Takes the entry lock, then the turn lock, then lets go of the entry; under {@link #locks}. Each is tried first
     * (the same one system call when it is free), so a wait behind another process is counted.
     */
    private void take() throws SQLException {
        try {
            waiting = true;
            try {
                boolean waited = false;
                while (true) {
                    FileChannel open = channel();
                    FileLock entry = open.tryLock(ENTRY, 1, false);
                    if (entry == null) {
                        waited = true;
                        entry = open.lock(ENTRY, 1, false);
                    }
                    try {
                        turn = open.tryLock(TURN, 1, false);
                        if (turn == null) {
                            waited = true;
                            turn = open.lock(TURN, 1, false);
                        }
                    } finally {
                        entry.release();
                    }
                    if (!markedRemoved(open)) {
                        break;
                    }
                    // another process removed the file after this descriptor opened it: queue on the file at the path
                    turn = null;
                    closeChannel();
                    if (markedRemoved(lockFile)) {
                        // its remover died between marking and unlinking it: finish the removal, or this loops forever
                        Files.deleteIfExists(lockFile);
                    }
                }
                if (waited) {
                    metrics.waitedForAnotherProcess();
                }
                waitedLastTake = waited;
            } finally {
                waiting = false;
            }
            heldSince = System.nanoTime();
            taken++;
            held = true;
        } catch (ClosedByInterruptException e) {
            forgetChannel(); // the interrupt closed it, dropping this process's locks on the lock file
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the writer turn of " + name
                    + " behind another process", "HY008", e);
        } catch (AsynchronousCloseException e) {
            forgetChannel(); // the pool closed meanwhile: this last writer writes without the queue
        } catch (OverlappingFileLockException e) {
            // another copy of the driver in this JVM (another class loader) has the same database open and queued:
            // this writer goes without the queue
            turn = null;
        } catch (NoSuchFileException e) {
            turn = null; // no file yet (or no longer): nothing to queue for; the next turn looks again
        } catch (IOException e) {
            giveUp(e);
        }
    }

    /**
     * Whether the queue file exists, for a process that has not joined: another process created it to queue on.
     * Under {@link #locks}. A file that cannot be named is left to {@link #take} to report.
     */
    private boolean anotherProcessQueues() {
        try {
            if (lockFile == null) {
                lockFile = lockFileOf(database);
            }
            if (!Files.exists(lockFile)) {
                return false;
            }
            if (!lookedForLeftover) {
                lookedForLeftover = true;
                return !removedLeftover();
            }
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Removes the queue file found at the first look of a pool that created its database, unless a process holds or
     * waits for the turn on it. Such a file is mostly a leftover: a process killed while it queued leaves its file,
     * and the file system hands the inode of its removed database to a later file, which gets the same name. Joining
     * it would cost every write of this pool two system calls for a queue no one else uses. A process that did open
     * the new database and queue on it is not harmed: its file is kept while in use, and otherwise its next writer
     * finds the file marked removed and makes a new one, which this pool's next writer finds and joins. Under
     * {@link #locks}; returns whether the file is gone.
     */
    private boolean removedLeftover() throws IOException {
        FileChannel open;
        try {
            open = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return true;
        }
        // closed whatever happens: that drops every lock taken here; a file in use is opened again to queue on
        try (open) {
            if (markedRemoved(open)) {
                Files.deleteIfExists(lockFile); // its remover died before unlinking it
                return true;
            }
            return removeIfUnused(open);
        }
    }

    /** Whether a process removing the file marked it so; under {@link #locks}, holding a lock on it. */
    private boolean markedRemoved(FileChannel open) throws IOException {
        mark.clear();
        return open.read(mark, REMOVED_MARK) == 1 && mark.get(0) == REMOVED;
    }

    /** Whether the file now at the path is marked removed; under {@link #locks}. */
    private boolean markedRemoved(Path path) throws IOException {
        try (FileChannel open = FileChannel.open(path, StandardOpenOption.READ)) {
            return markedRemoved(open);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Removes the file when no process holds or waits for the turn on it: with both locks held (so no process is
     * between them), it is marked removed, then unlinked; the locks go with the descriptor when the caller closes
     * it. A process that opened it earlier and takes its locks later finds the mark. Under {@link #locks}; returns
     * whether it removed the file. The caller closes the descriptor either way, which drops the locks taken here.
     */
    private boolean removeIfUnused(FileChannel open) {
        try {
            FileLock entry = open.tryLock(ENTRY, 1, false);
            if (entry == null) {
                return false; // a writer of another process is queueing on it
            }
            FileLock turnLock = turn != null && turn.isValid() ? turn : open.tryLock(TURN, 1, false);
            if (turnLock == null || markedRemoved(open)) {
                return false; // in use, or removed already by another process
            }
            mark.clear();
            mark.put(REMOVED).flip();
            open.write(mark, REMOVED_MARK);
            Files.deleteIfExists(lockFile);
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // another copy of the driver in this JVM holds a lock on it: in use
        } catch (IOException e) {
            LOG.debug("Removing the writer queue file {} failed; it stays", lockFile, e);
            return false;
        }
    }

    /** Releases the turn lock; under {@link #locks}. */
    private void giveBack() {
        FileLock lock = turn;
        turn = null;
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (ClosedChannelException e) {
            forgetChannel(); // closed already, which dropped the lock
        } catch (IOException e) {
            giveUp(e);
        }
    }

    private void forgetChannel() {
        channel = null;
        turn = null;
        held = false;
    }

    private FileChannel channel() throws IOException {
        FileChannel open = channel;
        if (open == null) {
            if (lockFile == null) {
                lockFile = lockFileOf(database);
            }
            open = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            shareWithOtherUsers(lockFile);
            channel = open;
        }
        return open;
    }

    private void giveUp(IOException e) {
        unavailable = true;
        turn = null;
        closeChannel();
        LOG.warn("Writers of {} cannot queue with other processes through {} ({}); they wait out other processes'"
                + " locks by retrying instead", name, lockFile, e.toString());
    }

    /** Where the writers of the database file queue: one file per database identity under the temporary directory. */
    static Path lockFileOf(Path database) throws IOException {
        return Path.of(System.getProperty("java.io.tmpdir"), "enhanced-sqlite-writers-" + identity(database) + ".lock");
    }

    /**
     * The database file's identity as a file name: its device and inode, the same in every process of the machine
     * under every path and link that names the file. Written out as they are rather than hashed: a digest loaded the
     * JDK's security providers, about 20 ms of the first write of a short-lived process. Where the file system has
     * no such numbers (the {@code unix} attribute view is missing), the real path's two checksums stand in; two
     * databases that met under one name would only share a queue, never SQLite's locks.
     */
    private static String identity(Path database) throws IOException {
        try {
            Map<String, Object> numbers = Files.readAttributes(database, "unix:dev,ino");
            return Long.toHexString((Long) numbers.get("dev")) + "-" + Long.toHexString((Long) numbers.get("ino"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            String path = database.toRealPath().toString();
            CRC32C checksum = new CRC32C();
            checksum.update(path.getBytes(StandardCharsets.UTF_8));
            return "path-" + Long.toHexString(checksum.getValue()) + "-" + Integer.toHexString(path.hashCode());
        }
    }

    /** Processes of other users writing the same database must be able to open the same lock file. */
    private static void shareWithOtherUsers(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or another user's file already shared by its creator
        }
    }
}
