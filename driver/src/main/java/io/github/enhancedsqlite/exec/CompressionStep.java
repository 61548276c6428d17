package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
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
    private Set<ColumnRef> recordedInTransaction;

    CompressionStep(Compression compression, Codec codec, Connection sqlite) {
        this.compression = compression;
        this.codec = codec;
        this.sqlite = sqlite;
    }

    /**
     * Before a statement runs (and after its transaction began).
     *
     * @param madePlain columns to return to plain storage first (a CREATE INDEX, VIEW or TRIGGER over them); their
     *                  changed record settles with the transaction, like a recorded column's
     */
    void before(Set<ColumnRef> compressedInto, boolean inTransaction, Set<ColumnRef> madePlain)
            throws SQLException {
        record(compressedInto, inTransaction);
        if (!madePlain.isEmpty()) {
            Set<ColumnRef> changed = compression.makePlain(sqlite, madePlain, inTransaction);
            if (!changed.isEmpty()) {
                if (recordedInTransaction == null) {
                    recordedInTransaction = new HashSet<>();
                }
                recordedInTransaction.addAll(changed);
            }
        }
    }

    /**
     * Records columns about to receive compressed values. Inside a transaction the record only counts once the
     * transaction commits ({@link #committed()}).
     */
    void record(Set<ColumnRef> columns, boolean inTransaction) throws SQLException {
        if (columns != null && !columns.isEmpty()) {
            compression.beforeCompressedWrite(sqlite, columns, inTransaction);
            if (inTransaction) {
                if (recordedInTransaction == null) {
                    recordedInTransaction = new HashSet<>();
                }
                recordedInTransaction.addAll(columns);
            }
        }
    }

    /**
     * After a statement, once the transaction knows whether it ended: the application's own SQL (COMMIT, END,
     * RELEASE, ROLLBACK) or a failure ended the transaction that recorded columns, and the database tells which
     * records committed.
     */
    void after(boolean inTransaction) {
        if (!inTransaction) {
            compression.writesCommitted();
        }
        if (recordedInTransaction != null && !recordedInTransaction.isEmpty() && !inTransaction) {
            try {
                compression.confirmCommitted(sqlite, recordedInTransaction);
            } catch (SQLException e) {
                // unconfirmed records are only written again with the column's next compressed value
            }
            recordedInTransaction.clear();
        }
    }

    /** The transaction that recorded compressed columns committed. */
    void committed() {
        compression.writesCommitted();
        if (recordedInTransaction != null && !recordedInTransaction.isEmpty()) {
            compression.confirmRecorded(recordedInTransaction);
            recordedInTransaction.clear();
        }
    }

    /** The transaction rolled back: nothing it recorded exists. */
    void rolledBack() {
        if (recordedInTransaction != null) {
            recordedInTransaction.clear();
        }
    }

    /** The stored form of a value bound for a compressing column; null to store it as it is. */
    byte[] encode(ColumnRef column, byte[] raw, boolean blob) {
        return compression.encode(codec, column, raw, blob);
    }
}
