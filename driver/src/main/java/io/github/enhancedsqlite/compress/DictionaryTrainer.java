package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a column's dictionary from its committed values and moves the values written before it onto it: the work
 * the pool's background thread does when a column asks for a dictionary ({@link Dictionaries#seen}). Values are
 * read from the database, not remembered from the writes, so whichever way they were written (row by row, in
 * transactions, one big import) only what committed trains a dictionary. The dictionary is committed in a
 * transaction of its own before any value names it; the values are then rewritten in short transactions, each
 * under the writer turn, reading each row's stored form and writing it back only when the dictionary makes it
 * smaller, so nothing the application writes meanwhile is overwritten.
 */
final class DictionaryTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DictionaryTrainer.class);
    /** The most recent values a dictionary is trained from, and how many bytes of them at most. */
    private static final int MAX_SAMPLES = 4096;
    private static final int MAX_SAMPLE_BYTES = 4 * 1024 * 1024;
    /** A long value trains from its beginning: snapshots repeat their structure there. */
    private static final int MAX_BYTES_PER_SAMPLE = 128 * 1024;
    /** About one byte of dictionary per this many bytes of samples (zstd's guidance), within the bounds below. */
    private static final int SAMPLE_BYTES_PER_DICTIONARY_BYTE = 32;
    private static final int MIN_DICTIONARY_BYTES = 1024;
    private static final int MAX_DICTIONARY_BYTES = 32 * 1024;
    /** The recent values a new dictionary is judged on against the current one. */
    private static final int JUDGED_SAMPLES = 256;
    /** Rows rewritten per transaction, so writers wait for the turn no longer than a few milliseconds. */
    private static final int CHUNK_ROWS = 200;
    /**
     * How many times smaller a dictionary must store the values it is judged on (a fifth smaller) to be adopted.
     * Below that the values are close to random (tokens, hashes, generated filler): a dictionary would save a few
     * bytes per value and cost a compression at every write, a decoding at every read and trainings again and
     * again. BenchBase's YCSB rows (random printable text) got dictionaries that saved 0.8% of their bytes and cost
     * half the throughput.
     */
    static final double MIN_RATIO = 1.25;
    /** Bytes of the judged values compressed as one run to see whether a dictionary could reach MIN_RATIO. */
    private static final int PROBE_BYTES = 256 * 1024;
    /** The least a value's own zstd frame adds: magic number, frame header, content size, block header. */
    private static final int FRAME_BYTES = 9;

    private final Compression compression;
    private final Dictionaries dictionaries;
    private final Codec codec;
    private final Connection lease;
    private final Connection sqlite;
    private final WriteBegin writeBegin;

    /**
     * @param lease  a pooled connection of the database, through which transactions take the writer turn
     * @param sqlite the same connection's sqlite-jdbc connection, whose statements run inside those transactions
     * @param codec  the same connection's codec
     * @param writeBegin begins a write transaction on the lease, in manual mode
     */
    DictionaryTrainer(Compression compression, Dictionaries dictionaries, Connection lease, Connection sqlite,
                      Codec codec, WriteBegin writeBegin) {
        this.writeBegin = writeBegin;
        this.compression = compression;
        this.dictionaries = dictionaries;
        this.lease = lease;
        this.sqlite = sqlite;
        this.codec = codec;
    }

    /** Trains, judges and adopts a dictionary for each column that asks for one, then repacks its values. */
    void run() {
        for (ColumnRef column : dictionaries.takeWanted()) {
            try {
                TableInfo table = compression.tableInfo(sqlite, column.table());
                if (!compression.takesCompressed(column, table)) {
                    dictionaries.judged(column, Integer.MAX_VALUE, 0, 0, false); // plain from now on: never ask again
                    continue;
                }
                if (trainFor(column, table) && table.hasRowid()) {
                    repack(column);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Training the zstd dictionary of {} failed; it is tried again after more values: {}",
                        column, e.getMessage());
                dictionaries.tooFew(column, 0);
            }
        }
    }

    /** @return whether a new dictionary was adopted */
    private boolean trainFor(ColumnRef column, TableInfo table) throws SQLException {
        List<byte[]> samples = new ArrayList<>();
        long sampleBytes = 0;
        try (PreparedStatement read = sqlite.prepareStatement("SELECT typeof(" + quote(column.column()) + "), "
                + quote(column.column()) + " FROM " + quote(table.name())
                + (table.hasRowid() ? " ORDER BY rowid DESC" : "") + " LIMIT " + MAX_SAMPLES)) {
            boolean recorded = compression.recorded(column);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next() && sampleBytes < MAX_SAMPLE_BYTES) {
                    byte[] raw = original(rows.getString(1), rows.getBytes(2), recorded, column);
                    if (raw != null && raw.length >= compression.dictionaryMinimum()) {
                        byte[] sample = raw.length > MAX_BYTES_PER_SAMPLE ? Arrays.copyOf(raw, MAX_BYTES_PER_SAMPLE)
                                : raw;
                        samples.add(sample);
                        sampleBytes += sample.length;
                    }
                }
            }
        }
        if (samples.size() < dictionaries.samplesToTrain()) {
            dictionaries.tooFew(column, samples.size());
            return false;
        }
        List<byte[]> judged = samples.subList(0, Math.min(JUDGED_SAMPLES, samples.size()));
        int current = dictionaries.currentFor(column);
        long raw = 0;
        for (byte[] sample : judged) {
            raw += sample.length;
        }
        long withCurrent = current == 0 ? 0 : storedBytes(judged, dictionaries.bytes(current));
        if (current != 0 && dictionaries.stillSuits(column, sampleBytes, raw / (double) Math.max(1, withCurrent))) {
            // rows rewritten in place with values of the same character (an upsert load) ask again and again;
            // training is the costly part, and a candidate from such values lost to this dictionary before
            dictionaries.keptUntrained(column, samples.size());
            LOG.debug("zstd dictionary {} of {} still suits its {} most recent values; no candidate trained", current,
                    column, samples.size());
            return false;
        }
        double ratioWithCurrent = current == 0 ? 0 : raw / (double) Math.max(1, withCurrent);
        if (!couldShrink(judged)) {
            // asks again after twice as many values each time, like a judgment that keeps the current dictionary
            dictionaries.judged(column, samples.size(), sampleBytes, ratioWithCurrent, false);
            LOG.debug("No zstd dictionary trained for {}: its {} most recent values shrink less than {}x together",
                    column, judged.size(), MIN_RATIO);
            return false;
        }
        byte[] candidate = train(samples, sampleBytes);
        compression.dictionaryTrained();
        if (candidate == null) {
            dictionaries.tooFew(column, 0);
            return false;
        }
        long withCandidate = storedBytes(judged, candidate);
        if (raw < withCandidate * MIN_RATIO) {
            dictionaries.judged(column, samples.size(), sampleBytes, ratioWithCurrent, false);
            LOG.debug("zstd dictionary candidate for {} not adopted: it stores its {} most recent values only {}x"
                    + " smaller", column, judged.size(), raw / (double) Math.max(1, withCandidate));
            return false;
        }
        if (current != 0 && (withCurrent - withCandidate) * samples.size() / judged.size() <= candidate.length) {
            // not worth its own bytes: the column keeps its dictionary until it has grown or drifted more. What the
            // candidate saves on the judged values is scaled to all it was trained from, as the repack moves them all
            // onto it: judged on the recent values alone, a column loaded row by row kept the small dictionary of its
            // first values, trained when a larger one could save little on 256 values but far more on all of them
            dictionaries.judged(column, samples.size(), sampleBytes, ratioWithCurrent, false);
            LOG.debug("zstd dictionary {} of {} kept: a candidate from {} values saves less than its {} bytes", current,
                    column, samples.size(), candidate.length);
            return false;
        }
        int id = storeCommitted(column, candidate);
        dictionaries.adopt(column, id, candidate);
        dictionaries.judged(column, samples.size(), sampleBytes, raw / (double) Math.max(1, withCandidate), true);
        LOG.debug("zstd dictionary {} ({} bytes) trained for {} from {} values", id, candidate.length, column,
                samples.size());
        return true;
    }

    /** A dictionary sized to the samples; null when zstd finds nothing to train (too few, too alike). */
    static byte[] train(List<byte[]> samples, long sampleBytes) {
        int size = (int) Math.max(MIN_DICTIONARY_BYTES, Math.min(MAX_DICTIONARY_BYTES,
                sampleBytes / SAMPLE_BYTES_PER_DICTIONARY_BYTE));
        byte[] buffer = new byte[size];
        long trained;
        ZstdLibrary.load();
        try {
            trained = Zstd.trainFromBuffer(samples.toArray(new byte[0][]), buffer, false);
        } catch (ZstdException e) {
            // zstd-jni throws for some refusals (too few or too similar samples) rather than returning an error
            LOG.debug("No dictionary: {}", e.getMessage());
            return null;
        }
        if (Zstd.isError(trained) || trained <= 0) {
            LOG.debug("No dictionary: {}", Zstd.getErrorName(trained));
            return null;
        }
        return Arrays.copyOf(buffer, (int) trained);
    }

    /**
     * Whether a dictionary could store these values {@link #MIN_RATIO} times smaller: compressed as one run, one
     * after another, plus the envelope and frame each value stored alone carries, they shrink at least that much.
     * What a dictionary gives a value is what the value shares with others, which the run finds too; so values
     * that fail here would, but for chance, fail the judgment of a trained candidate, and a column of random text
     * costs a millisecond here rather than a training of a second or more.
     */
    private boolean couldShrink(List<byte[]> values) {
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int count = 0;
        for (byte[] value : values) {
            run.write(value, 0, Math.min(value.length, PROBE_BYTES - run.size()));
            count++;
            if (run.size() == PROBE_BYTES) {
                break;
            }
        }
        ZstdLibrary.load();
        try (ZstdCompressCtx compressor = judging(null, compression.levels().level())) {
            long stored = compressor.compress(run.toByteArray()).length
                    + (long) count * (Envelope.HEADER_BYTES + FRAME_BYTES);
            return run.size() >= stored * MIN_RATIO;
        }
    }

    /** What the values would take stored with a dictionary (each at most its own length, as stored plain). */
    private long storedBytes(List<byte[]> values, byte[] dictionary) {
        ZstdLibrary.load();
        Levels levels = compression.levels();
        // one context per level, as the codec stores values: a loaded dictionary is digested at its context's
        // level when first used, and keeps that level
        try (ZstdCompressCtx small = judging(dictionary, levels.level());
             ZstdCompressCtx large = judging(dictionary, levels.largeLevel())) {
            long total = 0;
            for (byte[] value : values) {
                ZstdCompressCtx compressor = value.length >= levels.largeThreshold() ? large : small;
                total += Math.min(value.length, Envelope.HEADER_BYTES + compressor.compress(value).length);
            }
            return total;
        }
    }

    private static ZstdCompressCtx judging(byte[] dictionary, int level) {
        ZstdCompressCtx compressor = new ZstdCompressCtx();
        compressor.setLevel(level).setChecksum(false).setContentSize(true).setDictID(false);
        if (dictionary != null) {
            compressor.loadDict(dictionary);
        }
        return compressor;
    }

    /** Stores the dictionary in a transaction of its own, under the writer turn; returns once it is committed. */
    private int storeCommitted(ColumnRef column, byte[] dictionary) throws SQLException {
        lease.setAutoCommit(false);
        try {
            begin();
            int id = dictionaries.store(sqlite, column, dictionary);
            lease.commit();
            return id;
        } catch (SQLException | RuntimeException e) {
            lease.rollback();
            throw e;
        } finally {
            lease.setAutoCommit(true);
        }
    }

    /** The writer turn and BEGIN IMMEDIATE: the writes below go to sqlite-jdbc directly. */
    private void begin() throws SQLException {
        writeBegin.begin();
    }

    /**
     * Rewrites the column's values that the current dictionary stores in fewer bytes: plain ones and those
     * compressed without it. Each chunk reads the rows' stored form inside its own transaction, so no row changes
     * between read and write; a row the application changed since is simply read as it is now.
     */
    private void repack(ColumnRef column) throws SQLException {
        long after = Long.MIN_VALUE;
        int rows;
        do {
            int dictionary = dictionaries.currentFor(column);
            rows = 0;
            boolean recordedHere = false;
            lease.setAutoCommit(false);
            try {
                begin();
                TableInfo table = compression.tableInfo(sqlite, column.table());
                if (!compression.takesCompressed(column, table) || !table.hasRowid()) {
                    lease.rollback();
                    return; // an index, view or trigger over it made it plain meanwhile
                }
                boolean recorded = compression.recorded(column);
                String name = quote(column.column());
                try (PreparedStatement read = sqlite.prepareStatement("SELECT rowid, typeof(" + name + "), " + name
                        + " FROM " + quote(table.name()) + " WHERE rowid > ? ORDER BY rowid LIMIT " + CHUNK_ROWS);
                     PreparedStatement write = sqlite.prepareStatement("UPDATE " + quote(table.name()) + " SET "
                             + name + " = ? WHERE rowid = ?")) {
                    read.setLong(1, after);
                    try (ResultSet stored = read.executeQuery()) {
                        while (stored.next()) {
                            rows++;
                            after = stored.getLong(1);
                            byte[] envelope = smaller(stored.getString(2), stored.getBytes(3), recorded, dictionary,
                                    column);
                            if (envelope == null) {
                                continue;
                            }
                            if (!recorded && !recordedHere) {
                                compression.beforeCompressedWrite(sqlite, java.util.Set.of(column), true);
                                recordedHere = true;
                            }
                            write.setBytes(1, envelope);
                            write.setLong(2, after);
                            write.executeUpdate();
                        }
                    }
                }
                lease.commit();
            } catch (SQLException | RuntimeException e) {
                lease.rollback();
                throw e;
            } finally {
                lease.setAutoCommit(true);
            }
            if (recordedHere) {
                compression.confirmRecorded(java.util.Set.of(column));
            }
        } while (rows == CHUNK_ROWS);
    }

    /**
     * The envelope a stored value gets with the dictionary, when it is smaller than what is stored; null to leave
     * the row as it is (already on this dictionary, too short, not smaller, escaped, or unreadable).
     */
    private byte[] smaller(String type, byte[] stored, boolean recorded, int dictionary, ColumnRef column) {
        if (stored == null || ("blob".equals(type) && Envelope.looksLikeEnvelope(stored)
                && (Envelope.payload(stored) == Envelope.PAYLOAD_RAW || Envelope.dictionaryId(stored) == dictionary))) {
            return null;
        }
        byte[] raw = original(type, stored, recorded, column);
        if (raw == null || raw.length < compression.dictionaryMinimum()) {
            return null;
        }
        byte[] envelope = codec.encode(raw, "blob".equals(type) && !Envelope.holdsText(stored), dictionary);
        return envelope != null && envelope.length < stored.length ? envelope : null;
    }

    /**
     * The original bytes of a stored TEXT or BLOB; null for other types, for a BLOB that begins like an envelope in
     * a column not yet recorded (the application's own bytes, left alone), and for a value that does not decode.
     */
    private byte[] original(String type, byte[] stored, boolean recorded, ColumnRef column) {
        if (stored == null || !("text".equals(type) || "blob".equals(type))) {
            return null;
        }
        if ("text".equals(type) || !Envelope.looksLikeEnvelope(stored)) {
            return stored;
        }
        if (!recorded) {
            return null;
        }
        try {
            Object value = codec.decode(stored, "in " + column);
            return value instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : (byte[]) value;
        } catch (CorruptValueException e) {
            return null; // verify reports it; training and repacking leave it as it is
        }
    }

}
