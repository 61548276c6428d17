package io.github.enhancedsqlite.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zstd dictionaries of one database. A compressed column gets one once enough of its values have been seen:
 * trained from them, stored in {@value #TABLE} (rows are never changed or deleted, so an id always means the same
 * bytes) and used for the column's later values. A dictionary is stored in a transaction of its own before any
 * value uses it, so a value never refers to a dictionary that is not committed. Shared by every connection of the
 * database.
 */
public final class Dictionaries implements AutoCloseable {

    public static final String TABLE = StoredFormat.DICTIONARIES_TABLE;
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " table_name TEXT NOT NULL, column_name TEXT NOT NULL, created_at INTEGER NOT NULL,"
            + " dictionary BLOB NOT NULL)";
    private static final Logger LOG = LoggerFactory.getLogger(Dictionaries.class);
    private static final int DICTIONARY_BYTES = 16 * 1024;
    private static final int SAMPLE_BYTES_LIMIT = 64 * 1024;

    private final int samplesToTrain;
    private final Map<Integer, byte[]> bytesById = new ConcurrentHashMap<>();
    private final Map<Integer, ZstdDictCompress> compressById = new ConcurrentHashMap<>();
    private final Map<Integer, ZstdDictDecompress> decompressById = new ConcurrentHashMap<>();
    private final Map<ColumnRef, Integer> currentByColumn = new ConcurrentHashMap<>();
    private final Map<ColumnRef, List<byte[]>> samples = new ConcurrentHashMap<>();
    /** Columns whose training failed or that have their dictionary: no more samples are kept. */
    private final Map<ColumnRef, Boolean> settled = new ConcurrentHashMap<>();
    /** Some column has enough samples: the next write outside a transaction trains its dictionary. */
    private volatile boolean ready;
    /** The pool closed: the native dictionaries are freed and no new one is made. */
    private volatile boolean closed;

    public Dictionaries(int samplesToTrain) {
        this.samplesToTrain = samplesToTrain;
    }

    /** The dictionary new values of a column are compressed with; 0 while it has none. */
    int currentFor(ColumnRef column) {
        Integer id = currentByColumn.get(column);
        return id == null ? 0 : id;
    }

    /** Keeps a copy of a value as a training sample until the column has enough. */
    void sample(ColumnRef column, byte[] raw) {
        if (samplesToTrain <= 0 || settled.containsKey(column) || raw.length > SAMPLE_BYTES_LIMIT) {
            return;
        }
        List<byte[]> kept = samples.computeIfAbsent(column, c -> new ArrayList<>());
        synchronized (kept) {
            if (kept.size() < samplesToTrain) {
                kept.add(raw.clone());
                ready |= kept.size() == samplesToTrain;
            }
        }
    }

    /**
     * Trains and stores the dictionaries whose columns have enough samples. Called only outside a transaction,
     * so the dictionary commits on its own before a value can use it.
     */
    void trainReady(Connection connection) {
        if (!ready) {
            return;
        }
        ready = false;
        for (Map.Entry<ColumnRef, List<byte[]>> entry : samples.entrySet()) {
            List<byte[]> kept = entry.getValue();
            byte[][] batch;
            synchronized (kept) {
                if (kept.size() < samplesToTrain) {
                    continue;
                }
                batch = kept.toArray(new byte[0][]);
                kept.clear();
            }
            ColumnRef column = entry.getKey();
            settled.put(column, Boolean.TRUE);
            samples.remove(column);
            train(connection, column, batch);
        }
    }

    private void train(Connection connection, ColumnRef column, byte[][] batch) {
        byte[] buffer = new byte[DICTIONARY_BYTES];
        long size;
        try {
            size = Zstd.trainFromBuffer(batch, buffer, false);
        } catch (ZstdException e) {
            // zstd-jni throws for some refusals (too few samples) rather than returning an error code; either way
            // the column just has no dictionary, and the write that triggered the training must not fail
            LOG.debug("No dictionary for {}: {}", column, e.getMessage());
            return;
        }
        if (Zstd.isError(size) || size <= 0) {
            LOG.debug("No dictionary for {}: {}", column, Zstd.getErrorName(size));
            return;
        }
        byte[] dictionary = new byte[(int) size];
        System.arraycopy(buffer, 0, dictionary, 0, dictionary.length);
        try (Statement create = connection.createStatement()) {
            create.execute(CREATE_TABLE);
        } catch (SQLException e) {
            LOG.warn("Could not create {}: {}", TABLE, e.getMessage());
            return;
        }
        try (Statement create = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                     + " (table_name, column_name, created_at, dictionary) VALUES (?, ?, strftime('%s','now'), ?)")) {
            insert.setString(1, column.table());
            insert.setString(2, column.column());
            insert.setBytes(3, dictionary);
            insert.executeUpdate();
            int id;
            try (ResultSet key = create.executeQuery("SELECT last_insert_rowid()")) {
                key.next();
                id = key.getInt(1);
            }
            bytesById.put(id, dictionary);
            currentByColumn.put(column, id);
        } catch (SQLException e) {
            LOG.warn("Could not store the zstd dictionary of {}: {}", column, e.getMessage());
        }
    }

    /** Loads every stored dictionary, newest last, so each column continues with its newest one. */
    void load(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet exists = statement.executeQuery(
                     "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '" + TABLE + "'")) {
            if (!exists.next()) {
                return;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT id, table_name, column_name, dictionary FROM " + TABLE + " ORDER BY id")) {
            while (rows.next()) {
                ColumnRef column = new ColumnRef(rows.getString(2), rows.getString(3));
                bytesById.put(rows.getInt(1), rows.getBytes(4));
                currentByColumn.put(column, rows.getInt(1));
                settled.put(column, Boolean.TRUE);
            }
        }
    }

    ZstdDictCompress forCompression(int id, int level) {
        byte[] bytes = bytesById.get(id);
        if (bytes == null) {
            return null;
        }
        ensureOpen();
        return compressById.computeIfAbsent(id, i -> new ZstdDictCompress(bytes, level));
    }

    ZstdDictDecompress forDecompression(int id) {
        byte[] bytes = bytesById.get(id);
        if (bytes == null) {
            return null;
        }
        ensureOpen();
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
    }

    private static void freeAll(Map<Integer, ? extends Closeable> dictionaries) {
        for (Integer id : dictionaries.keySet().toArray(new Integer[0])) {
            Closeable dictionary = dictionaries.remove(id);
            try {
                if (dictionary != null) {
                    dictionary.close();
                }
            } catch (IOException | IllegalStateException inUse) {
                LOG.debug("zstd dictionary {} is still in use; the garbage collector frees it", id, inUse);
            }
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
