package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Returns compressed columns to plain storage before a statement that must read their stored form as values: a
 * CREATE INDEX, VIEW or TRIGGER over them, or SQL the compression rewriter cannot account for. Part of every
 * pipeline, {@code compress=off} included, since such a pool still reads a file whose columns hold compressed values;
 * a statement that needs nothing made plain costs one emptiness check. What a transaction made plain settles with it.
 */
final class PlainStorageStep {

    private final Compression compression;
    private final Connection sqlite;
    /** Columns made plain inside the open transaction; known as plain once it commits. */
    private final PendingColumns madePlainInTransaction;

    PlainStorageStep(Compression compression, Connection sqlite) {
        this.compression = compression;
        this.sqlite = sqlite;
        this.madePlainInTransaction = new PendingColumns(compression, sqlite);
    }

    /** Before the statement runs (and after its transaction began). */
    void before(Set<ColumnRef> madePlain, boolean inTransaction) throws SQLException {
        if (madePlain.isEmpty()) {
            return;
        }
        Set<ColumnRef> changed;
        try {
            changed = compression.makePlain(sqlite, madePlain, inTransaction);
        } catch (SQLException e) {
            // e.g. a read-only connection or database: say why this statement wanted to write at all; the error
            // code stays SQLite's, so a busy error is still retried as one
            throw new SQLException("This statement needs " + madePlain + " returned to plain storage before it runs"
                    + " (it reads their stored form: an index, view or trigger over them, or SQL the compression"
                    + " rewriter cannot account for), and that write failed: " + e.getMessage(), e.getSQLState(),
                    e.getErrorCode(), e);
        }
        if (!changed.isEmpty()) {
            madePlainInTransaction.addAll(changed);
        }
    }

    /** After a statement, which may have ended the transaction by SQL or by failing. */
    void after(boolean inTransaction) {
        madePlainInTransaction.afterStatement(inTransaction);
    }

    /** The transaction committed: what it made plain is plain. */
    void committed() {
        madePlainInTransaction.committed();
    }

    /** The transaction rolled back: the columns hold their envelopes and records again. */
    void rolledBack() {
        madePlainInTransaction.rolledBack();
    }
}
