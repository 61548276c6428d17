package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Columns whose record an open transaction changed (recorded as compressed, or returned to plain storage): they
 * count as changed only once it commits, and a rollback undoes the change in the database, so nothing is learned.
 */
final class PendingColumns {

    private final Compression compression;
    private final Connection sqlite;
    private Set<ColumnRef> columns;

    PendingColumns(Compression compression, Connection sqlite) {
        this.compression = compression;
        this.sqlite = sqlite;
    }

    void addAll(Set<ColumnRef> changed) {
        if (columns == null) {
            columns = new HashSet<>();
        }
        columns.addAll(changed);
    }

    /**
     * After a statement: the application's own SQL (COMMIT, END, RELEASE, ROLLBACK) or a failure ended the
     * transaction, and the database tells which records committed.
     */
    void afterStatement(boolean inTransaction) {
        if (columns != null && !columns.isEmpty() && !inTransaction) {
            try {
                compression.confirmCommitted(sqlite, columns);
            } catch (SQLException e) {
                // unconfirmed: a record is written again with the column's next compressed value, and a column still
                // counted as compressed is only decoded needlessly
            }
            columns.clear();
        }
    }

    /** The transaction committed. */
    void committed() {
        if (columns != null && !columns.isEmpty()) {
            compression.confirmRecorded(columns);
            columns.clear();
        }
    }

    /** The transaction rolled back. */
    void rolledBack() {
        if (columns != null) {
            columns.clear();
        }
    }
}
