package io.github.enhancedsqlite.compress;

import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zstd dictionaries of one database and, per column, when the next one is due. A dictionary is trained in the
 * background from the column's committed values ({@link DictionaryTrainer}), stored in {@value #TABLE} and
 * committed before any value names it; rows there are never changed or deleted, so an id always means the same
 * bytes and old values stay readable when the column moves on to a newer dictionary (until a backup restored over
 * the database brings its own: then everything here is {@link #forget() forgotten} and read again). Shared by every
 * connection of the database; the counting here runs on the writers' path and takes no lock.
 */
public final class Dictionaries implements AutoCloseable {

    public static final String TABLE = StoredFormat.DICTIONARIES_TABLE;
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " table_name TEXT NOT NULL, column_name TEXT NOT NULL, created_at INTEGER NOT NULL,"
            + " dictionary BLOB NOT NULL)";
    private static final Logger LOG = LoggerFactory.getLogger(Dictionaries.class);
    /** Values between two looks at how the current dictionary is doing. */
    private static final int DRIFT_CHECK_EVERY = 64;
    /**
     * Values compressed with the current dictionary that come out this much larger, on average, than the column's
     * values did when the dictionary was last judged: the values have drifted away from it.
     */
    private static final double DRIFT_FACTOR = 1.5;
    /** At most 2^this times the values between two judgments that keep the dictionary. */
    private static final int MAX_BACK_OFF = 10;
    /**
     * Values to train from this much larger (in bytes) than when the current dictionary was last judged: a candidate
     * trained from them may be larger and better, so it is worth training.
     */
    private static final double MORE_TO_TRAIN_FROM = 1.25;
    /**
     * The share of the ratio it achieved when last judged that the current dictionary must still achieve on the
     * recent values for them to count as alike: a candidate trained from values alike those it was judged against
     * lost to it then, and would again.
     */
    private static final double STILL_SUITS = 0.9;

    private final int samplesToTrain;
    private final Map<Integer, byte[]> bytesById = new ConcurrentHashMap<>();
    /** Digested for compression, by {@link #digestKey id and level}: a digested dictionary serves one level. */
    private final Map<Long, ZstdDictCompress> compressById = new ConcurrentHashMap<>();
    private final Map<Integer, ZstdDictDecompress> decompressById = new ConcurrentHashMap<>();
    private final Map<ColumnRef, ColumnState> columns = new ConcurrentHashMap<>();
    /** Digested dictionaries {@link #forget() forgotten} while codecs may still hold them: freed at close. */
    private final List<Closeable> retired = new ArrayList<>();
    /** Some column asks for a dictionary to be trained: read after every commit, so a plain volatile flag. */
    private volatile boolean wanted;
    /** The pool closed: the native dictionaries are freed and no new one is made. */
    private volatile boolean closed;

    /**
     * One column: its current dictionary, the values seen since it last asked for one, and how well the current
     * dictionary compresses what is written now.
     */
    private static final class ColumnState {
        volatile int current;
        final AtomicLong seen = new AtomicLong();
        /** The count of {@link #seen} at which the column asks for a (new) dictionary. */
        volatile long dueAt;
        volatile boolean asked;
        /** The count of {@link #seen} when the training now running took the column's ask. */
        volatile long seenAtTake;
        final AtomicLong rawSince = new AtomicLong();
        final AtomicLong storedSince = new AtomicLong();
        /** Raw bytes per stored byte the current dictionary achieved when last judged; 0 while there is none. */
        volatile double expectedRatio;
        /** Bytes of the values it was last judged against, all of which a candidate was trained from. */
        volatile long judgedSampleBytes;
        /** Judgments in a row that kept the current dictionary: each doubles the values until the next one. */
        volatile int kept;

        ColumnState(long dueAt) {
            this.dueAt = dueAt;
        }
    }

    public Dictionaries(int samplesToTrain) {
        this.samplesToTrain = samplesToTrain;
    }

    /** Values a column needs before its first dictionary is trained; 0 when dictionaries are off. */
    int samplesToTrain() {
        return samplesToTrain;
    }

    /** The dictionary new values of a column are compressed with; 0 while it has none. */
    int currentFor(ColumnRef column) {
        ColumnState state = columns.get(column);
        return state == null ? 0 : state.current;
    }

    private ColumnState state(ColumnRef column) {
        ColumnState state = columns.get(column);
        if (state == null) { // not computeIfAbsent with a lambda: docs/ARCHITECTURE.md, "Start-up cost"
            ColumnState made = new ColumnState(samplesToTrain);
            state = columns.putIfAbsent(column, made);
            return state != null ? state : made;
        }
        return state;
    }

    /**
     * A value of the column long enough to train from was bound: once the column has seen enough of them (the first
     * time), or about as many again as it held at its last training, it asks for a dictionary.
     */
    void seen(ColumnRef column) {
        if (samplesToTrain <= 0) {
            return;
        }
        ColumnState state = state(column);
        long seen = state.seen.incrementAndGet();
        if (seen >= state.dueAt) {
            ask(state);
        } else if (seen % DRIFT_CHECK_EVERY == 0 && drifted(state)) {
            ask(state);
        }
    }

    /** A value was stored compressed with the column's current dictionary: what it came to shows drift. */
    void compressedWithCurrent(ColumnRef column, int rawBytes, int storedBytes) {
        ColumnState state = columns.get(column);
        if (state != null) {
            state.rawSince.addAndGet(rawBytes);
            state.storedSince.addAndGet(storedBytes);
        }
    }

    private boolean drifted(ColumnState state) {
        long stored = state.storedSince.get();
        if (state.expectedRatio <= 0 || stored == 0 || state.seen.get() < samplesToTrain) {
            return false;
        }
        return state.rawSince.get() / (double) stored * DRIFT_FACTOR < state.expectedRatio;
    }

    private void ask(ColumnState state) {
        if (!state.asked) {
            state.asked = true;
            wanted = true;
        }
    }

    /** Whether some column asks for a dictionary; cheap enough to ask after every commit. */
    boolean anyWanted() {
        return wanted && !closed;
    }

    /** The columns that ask for a dictionary now; they ask again only after {@link #judged} or {@link #tooFew}. */
    List<ColumnRef> takeWanted() {
        wanted = false;
        List<ColumnRef> taken = new ArrayList<>();
        for (Map.Entry<ColumnRef, ColumnState> entry : columns.entrySet()) {
            ColumnState state = entry.getValue();
            if (state.asked) {
                state.seenAtTake = state.seen.get();
                taken.add(entry.getKey());
            }
        }
        return taken;
    }

    /**
     * The column's committed values were too few to train from (the transaction that wrote the others rolled
     * back, say): it asks again after as many more values as it lacked.
     */
    void tooFew(ColumnRef column, int found) {
        ColumnState state = state(column);
        state.dueAt = state.seen.get() + Math.max(1, samplesToTrain - found);
        state.asked = false;
    }

    /**
     * A dictionary was judged for the column: it asks again once about {@code rows} more values were written —
     * twice as many after each judgment in a row that kept the current dictionary, so a column whose rows are
     * updated in place without changing character is not retrained over and over — or earlier when the values
     * drift away from what the current dictionary achieves now.
     *
     * @param rows        the values the training read
     * @param sampleBytes their bytes, which the candidate was trained from
     * @param ratio       raw bytes per stored byte of the column's recent values with its current dictionary
     * @param adopted     whether the judgment adopted a new dictionary
     */
    void judged(ColumnRef column, long rows, long sampleBytes, double ratio, boolean adopted) {
        ColumnState state = state(column);
        state.expectedRatio = ratio;
        state.judgedSampleBytes = sampleBytes;
        askAgainLater(state, rows, adopted);
    }

    /**
     * Whether the column's current dictionary still suits its values, so that training a candidate (seconds of CPU
     * for 4 MiB of values) cannot pay: there are not much more values to train from than when it was last judged,
     * and on the recent ones it achieves about the ratio it did then. False while the column was never judged in
     * this pool.
     *
     * @param sampleBytes the bytes of the values a candidate would be trained from now
     * @param ratio       raw bytes per stored byte of the recent values with the current dictionary
     */
    boolean stillSuits(ColumnRef column, long sampleBytes, double ratio) {
        ColumnState state = columns.get(column);
        return state != null && state.current != 0 && state.expectedRatio > 0
                && sampleBytes < state.judgedSampleBytes * MORE_TO_TRAIN_FROM
                && ratio >= state.expectedRatio * STILL_SUITS;
    }

    /**
     * The column's values are alike those its dictionary was last judged against ({@link #stillSuits}): no candidate
     * was trained, the dictionary is kept, and the column asks again after twice as many values as last time (the
     * ratio and sample it was judged on stay the reference, so a slow drift still adds up).
     */
    void keptUntrained(ColumnRef column, long rows) {
        askAgainLater(state(column), rows, false);
    }

    private void askAgainLater(ColumnState state, long rows, boolean adopted) {
        state.rawSince.set(0);
        state.storedSince.set(0);
        state.kept = adopted ? 0 : Math.min(state.kept + 1, MAX_BACK_OFF);
        // counted from the ask the training took, not from now: a training takes seconds, and values written
        // meanwhile (a load row by row goes on) count towards the next one, or it came a training's worth too late
        state.dueAt = state.seenAtTake + (Math.max(samplesToTrain, rows) << state.kept);
        state.asked = false;
    }

    /**
     * Stores a dictionary for the column in the caller's transaction, which holds the writer turn; the caller
     * commits and then {@link #adopt}s it, so no value can name it before it is committed.
     *
     * @return its id
     */
    int store(Connection sqlite, ColumnRef column, byte[] dictionary) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute(CREATE_TABLE);
        }
        try (PreparedStatement insert = sqlite.prepareStatement("INSERT INTO " + TABLE
                + " (table_name, column_name, created_at, dictionary) VALUES (?, ?, strftime('%s','now'), ?)")) {
            insert.setString(1, column.table());
            insert.setString(2, column.column());
            insert.setBytes(3, dictionary);
            insert.executeUpdate();
        }
        try (Statement statement = sqlite.createStatement();
             ResultSet key = statement.executeQuery("SELECT last_insert_rowid()")) {
            key.next();
            return key.getInt(1);
        }
    }

    /** A committed dictionary becomes the one the column's new values are compressed with. */
    void adopt(ColumnRef column, int id, byte[] dictionary) {
        bytesById.put(id, dictionary);
        state(column).current = id;
    }

    /** The bytes of a dictionary this database holds and this pool has seen; null otherwise. */
    byte[] bytes(int id) {
        return bytesById.get(id);
    }

    /** Loads every stored dictionary, newest last, so each column continues with its newest one. */
    void load(Connection connection) throws SQLException {
        if (!StoredFormat.tableExists(connection, TABLE)) {
            return;
        }
        loadExisting(connection);
    }

    /** Loads the dictionaries from their table, known to exist. */
    void loadExisting(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT id, table_name, column_name, dictionary FROM " + TABLE + " ORDER BY id")) {
            while (rows.next()) {
                ColumnRef column = new ColumnRef(rows.getString(2), rows.getString(3));
                bytesById.put(rows.getInt(1), rows.getBytes(4));
                state(column).current = rows.getInt(1);
            }
        }
    }

    /** The dictionary digested for compressing at a level; null when this pool does not know it. */
    ZstdDictCompress forCompression(int id, int level) {
        byte[] bytes = bytesById.get(id);
        if (bytes == null) {
            return null;
        }
        ensureOpen();
        ZstdLibrary.load();
        return compressById.computeIfAbsent(digestKey(id, level), key -> new ZstdDictCompress(bytes, level));
    }

    private static long digestKey(int id, int level) {
        return ((long) id << 32) | (level & 0xFFFF_FFFFL);
    }

    ZstdDictDecompress forDecompression(int id) {
        byte[] bytes = bytesById.get(id);
        if (bytes == null) {
            return null;
        }
        ensureOpen();
        ZstdLibrary.load();
        return decompressById.computeIfAbsent(id, i -> new ZstdDictDecompress(bytes));
    }

    /** A native dictionary made after close() would never be freed. */
    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The zstd dictionaries of this database are closed: its pool was closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Frees the native zstd dictionaries now rather than whenever the garbage collector finalizes them, so a closed
     * pool holds no native memory. Called once the codecs of the pool's connections are closed: zstd refuses to free
     * a dictionary a compression context still references, and such a one is left to the garbage collector.
     */
    @Override
    public void close() {
        closed = true;
        freeAll(compressById);
        freeAll(decompressById);
        synchronized (retired) {
            for (Closeable dictionary : retired) {
                free(dictionary, "retired");
            }
            retired.clear();
        }
    }

    /**
     * Forgets every dictionary and every column's state: the database's content was replaced, and its ids may now
     * name other bytes (rows there are never changed, but a restored backup brings its own). What the database holds
     * is loaded again by the caller; an id met before that is fetched from the database as another process's is.
     * The digested dictionaries are kept until close, as a codec may be using one right now.
     */
    void forget() {
        synchronized (retired) {
            retired.addAll(compressById.values());
            retired.addAll(decompressById.values());
        }
        compressById.clear();
        decompressById.clear();
        bytesById.clear();
        columns.clear();
        wanted = false;
    }

    private static <K> void freeAll(Map<K, ? extends Closeable> dictionaries) {
        for (K id : new ArrayList<>(dictionaries.keySet())) {
            Closeable dictionary = dictionaries.remove(id);
            if (dictionary != null) {
                free(dictionary, id);
            }
        }
    }

    private static void free(Closeable dictionary, Object id) {
        try {
            dictionary.close();
        } catch (IOException | IllegalStateException inUse) {
            LOG.debug("zstd dictionary {} is still in use; the garbage collector frees it", id, inUse);
        }
    }

    /** Makes sure a dictionary another process stored is known; false when the database does not hold it. */
    boolean fetch(int id, Connection connection) {
        if (bytesById.containsKey(id)) {
            return true;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT dictionary FROM " + TABLE + " WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    bytesById.put(id, row.getBytes(1));
                    return true;
                }
            }
        } catch (SQLException e) {
            LOG.debug("dictionary {} not loaded", id, e);
        }
        return false;
    }
}
