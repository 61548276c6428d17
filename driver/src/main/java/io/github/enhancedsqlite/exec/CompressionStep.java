package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Compression's bookkeeping for one connection: records the columns about to receive compressed values inside the
 * statement's transaction (so the record and the values commit together), learns which records committed, and
 * after each commit lets a column that has seen enough values have its dictionary trained in the background from
 * what committed. Left out of the pipeline when compression is off.
 */
final class CompressionStep {

    private final Compression compression;
    private final Codec codec;
    private final Connection sqlite;
    /** Columns recorded as compressed inside the open transaction; known as such once it commits. */
    private final PendingColumns recordedInTransaction;
    /** The record's rows are the driver's, not the application's changes. */
    private final OwnWrites ownWrites;

    CompressionStep(Compression compression, Codec codec, Connection sqlite, OwnWrites ownWrites) {
        this.compression = compression;
        this.ownWrites = ownWrites;
        this.codec = codec;
        this.sqlite = sqlite;
        this.recordedInTransaction = new PendingColumns(compression, sqlite);
    }

    /** Before a statement runs (and after its transaction began). */
    void before(Set<ColumnRef> compressedInto, boolean inTransaction) throws SQLException {
        record(compressedInto, inTransaction);
    }

    /**
     * Records columns about to receive compressed values. Inside a transaction the record only counts once the
     * transaction commits ({@link #committed()}).
     */
    void record(Set<ColumnRef> columns, boolean inTransaction) throws SQLException {
        if (columns != null && !columns.isEmpty()) {
            // their record committed before: nothing is written, so the change counts are left alone (keeping them
            // costs four calls into SQLite per compressed write)
            boolean writes = !compression.recordedAll(columns);
            if (writes) {
                ownWrites.begin();
            }
            try {
                compression.beforeCompressedWrite(sqlite, columns, inTransaction);
            } finally {
                if (writes) {
                    ownWrites.endBeforeWrite();
                }
            }
            if (inTransaction) {
                recordedInTransaction.addAll(columns);
            }
        }
    }

    /** After a statement, which may have ended the transaction by SQL or by failing. */
    void after(boolean inTransaction) {
        if (!inTransaction) {
            compression.writesCommitted();
        }
        recordedInTransaction.afterStatement(inTransaction);
    }

    /** The transaction that recorded compressed columns committed. */
    void committed() {
        compression.writesCommitted();
        recordedInTransaction.committed();
    }

    /** The transaction rolled back: nothing it recorded exists. */
    void rolledBack() {
        recordedInTransaction.rolledBack();
    }

    /** Trains the dictionaries columns ask for, on this connection; {@code lease} is the lease holding it. */
    void trainDictionaries(Connection lease, io.github.enhancedsqlite.compress.WriteBegin writeBegin) {
        compression.trainDictionaries(lease, sqlite, codec, writeBegin);
    }

    /** The stored form of a value bound for a compressing column; null to store it as it is. */
    byte[] encode(ColumnRef column, byte[] raw, boolean blob) {
        return compression.encode(codec, column, raw, blob);
    }
}
