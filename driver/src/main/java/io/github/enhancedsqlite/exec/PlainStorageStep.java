package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.ConnectionChangedSincePrepared;
import io.github.enhancedsqlite.compress.RewrittenSql;
import io.github.enhancedsqlite.compress.ShadowTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Returns compressed columns to plain storage before a statement that must read their stored form as values: a
 * CREATE INDEX, VIEW or TRIGGER over them, or SQL the compression rewriter cannot account for. Part of every
 * pipeline, {@code compress=off} included, since such a pool still reads a file whose columns hold compressed values;
 * a statement that needs nothing made plain costs one emptiness check. What a transaction made plain settles with it.
 * A connection that cannot write (read-only, {@code mode=ro}, a read-only file) runs a statement that only reads
 * through decoded copies of the tables instead ({@link ShadowTables}), dropped after it. The rows this step writes
 * are the driver's own ({@link OwnWrites}).
 */
final class PlainStorageStep {

    private static final int SQLITE_READONLY = 8;

    private final Compression compression;
    private final Connection sqlite;
    private final OwnWrites ownWrites;
    /** Columns made plain inside the open transaction; known as plain once it commits. */
    private final PendingColumns madePlainInTransaction;
    private final StoredValues values;
    /**
     * The escape hatch's copies ({@link #shadows()}); null until a statement needs them. Made on demand: most
     * connections never do, and a process that lives a second need not load the class.
     */
    private ShadowTables shadows;
    /** Columns a statement wrote whose RETURNING rows were still being read; null when none. */
    private Set<ColumnRef> escapeAfterRows;
    private StatementCall escapeAfterRowsOf;
    /** The statements that ran while the copies existed, whose rows may still read them. */
    private final List<StatementCall> readingCopies = new ArrayList<>();
    /** The columns the statement running now found made plain, for {@link #after}; null when none. */
    private Set<ColumnRef> madePlainNow;

    PlainStorageStep(Compression compression, Connection sqlite, OwnWrites ownWrites, StoredValues values) {
        this.compression = compression;
        this.sqlite = sqlite;
        this.ownWrites = ownWrites;
        this.madePlainInTransaction = new PendingColumns(compression, sqlite);
        this.values = values;
    }

    private ShadowTables shadows() {
        ShadowTables made = shadows;
        if (made == null) {
            made = compression.shadowTables(sqlite, values.codec());
            shadows = made;
        }
        return made;
    }

    /** Whether copies exist now. */
    private boolean anyCopies() {
        return shadows != null && shadows.any();
    }

    /**
     * Before any statement: copies an earlier statement still read when it ended are dropped now. If a cursor is
     * still open on them (the application reads two result sets at once), they stay, and this statement reads them
     * too, in the same snapshot ({@link ShadowTables#beforeReadingAlongside}, which also fails a write into them as
     * SQLite fails a write on this connection).
     */
    void beforeAny(StatementCall call, int effects) throws SQLException {
        escapeAfterRows(call);
        ownWrites.dropLeftScratch();
        if (!anyCopies()) {
            readingCopies.clear();
            return;
        }
        for (StatementCall reader : readingCopies) {
            if (reader == call) {
                call.closeResult(); // running again closes it anyway
                break;
            }
        }
        readingCopies.removeIf(reader -> !readingRows(reader));
        if (readingCopies.isEmpty() && shadows.drop()) {
            return;
        }
        shadows.beforeReadingAlongside(call.sqlRun(), StatementEffects.has(effects, StatementEffects.CHANGES_SCHEMA));
        readsCopies(call);
    }

    private static boolean readingRows(StatementCall call) {
        try {
            return call.readingRows();
        } catch (SQLException e) {
            return false;
        }
    }

    private void readsCopies(StatementCall call) {
        for (StatementCall reader : readingCopies) {
            if (reader == call) {
                return;
            }
        }
        readingCopies.add(call);
    }

    /**
     * The statement was rewritten and is about to be prepared: copies its text reads under private names must exist
     * for SQLite to compile it ({@link ShadowTables#beforePrepare}).
     */
    void beforePrepare(String sql, RewrittenSql rewritten) throws SQLException {
        if (!rewritten.madePlain().isEmpty() && !rewritten.sql().equals(sql)) {
            ownWrites.begin();
            try {
                shadows().beforePrepare(sql, rewritten.sql(), rewritten.madePlain());
            } finally {
                ownWrites.end();
            }
        }
    }

    /**
     * Before the statement runs (and after its transaction began).
     *
     * @param cannotWrite the connection is known to be read-only
     */
    void before(StatementCall call, Set<ColumnRef> madePlain, boolean inTransaction, boolean cannotWrite)
            throws SQLException {
        madePlainNow = null;
        if (madePlain.isEmpty()) {
            return;
        }
        String sql = call.sqlRun();
        String original = call.sqlForLog();
        ShadowTables shadows = shadows();
        try {
            shadows.checkMainReferences(original, sql, madePlain, cannotWrite);
        } catch (ConnectionChangedSincePrepared changed) {
            if (!call.prepareAgain()) {
                throw changed;
            }
            sql = call.sqlRun();
            shadows.checkMainReferences(original, sql, madePlain, cannotWrite);
        }
        if (!cannotWrite) {
            Set<ColumnRef> changed;
            ownWrites.begin();
            try {
                changed = compression.makePlain(sqlite, madePlain, inTransaction);
                madePlainNow = madePlain;
            } catch (SQLException e) {
                if ((e.getErrorCode() & 0xFF) != SQLITE_READONLY) {
                    // say why this statement wanted to write at all; the error code stays SQLite's, so a busy error
                    // is still retried as one
                    throw new SQLException("This statement needs " + madePlain + " returned to plain storage before"
                            + " it runs (it reads their stored form: an index, view or trigger over them, or SQL the"
                            + " compression rewriter cannot account for), and that write failed: " + e.getMessage(),
                            e.getSQLState(), e.getErrorCode(), e);
                }
                changed = null; // a read-only database or file: read through copies below
            } finally {
                ownWrites.end();
            }
            if (changed != null) {
                if (!changed.isEmpty()) {
                    madePlainInTransaction.addAll(changed);
                }
                return;
            }
        }
        if (!cannotWrite) {
            shadows.checkMainReferences(original, sql, madePlain, true); // a read-only file, found by the write
        }
        if (shadows.readsPrivately(original, sql, madePlain) || !shadows.writesMain(sql)) {
            ownWrites.begin(); // the copies' rows are the driver's too
            try {
                shadows.cover(original, sql, madePlain);
            } finally {
                ownWrites.end();
            }
            readsCopies(call);
        } // else it writes the database: it runs as written, and SQLite refuses it as on any read-only connection
    }

    /**
     * The statement ran and may have written, in the transaction it ran in: a BLOB it stored in a column it found
     * made plain that begins like an envelope is escaped ({@link Compression#escapeStoredPlain}). In auto-commit mode
     * a statement whose RETURNING rows are still being read holds SQLite's transaction open, and sqlite-jdbc would try
     * to commit after the driver's own statements (and leave a transaction open when it cannot): the escape then
     * waits until those rows were read, before the connection's next statement.
     */
    void wrote(StatementCall call, boolean inTransaction, Object result) throws SQLException {
        Set<ColumnRef> plain = madePlainNow;
        madePlainNow = null;
        if (plain == null) {
            return;
        }
        if (!inTransaction && (result instanceof java.sql.ResultSet || Boolean.TRUE.equals(result))) {
            escapeAfterRows = plain;
            escapeAfterRowsOf = call;
            return;
        }
        escape(plain, inTransaction);
    }

    private void escape(Set<ColumnRef> plain, boolean inTransaction) throws SQLException {
        ownWrites.begin();
        try {
            Set<ColumnRef> recorded = compression.escapeStoredPlain(sqlite, plain, inTransaction);
            if (!recorded.isEmpty()) {
                madePlainInTransaction.addAll(recorded);
            }
        } finally {
            ownWrites.end();
        }
    }

    /** The escape a statement's RETURNING rows held up, once they were read. */
    private void escapeAfterRows(StatementCall next) throws SQLException {
        if (escapeAfterRows == null) {
            return;
        }
        if (next == escapeAfterRowsOf) {
            next.closeResult(); // running it again closes them anyway
        }
        if (next == null || !escapeAfterRowsOf.readingRows()) {
            Set<ColumnRef> plain = escapeAfterRows;
            escapeAfterRows = null;
            escapeAfterRowsOf = null;
            escape(plain, false);
        }
    }

    /**
     * After a statement, which may have ended the transaction by SQL or by failing ({@code rows}: it left rows to
     * read). Copies go once no statement reads rows that may come from them: SQLite refuses to drop a table a cursor
     * has open, but a statement between two rows may have none open on a copy it reads again for the next (a
     * sub-query), and dropping it would abort that statement.
     */
    void after(StatementCall call, boolean inTransaction, boolean rows) {
        madePlainNow = null;
        madePlainInTransaction.afterStatement(inTransaction);
        if (anyCopies()) {
            readingCopies.removeIf(reader -> reader != call && !readingRows(reader));
            if (rows ? !readingCopies.isEmpty() : readingCopies.stream().anyMatch(reader -> reader != call)) {
                return; // kept until the next statement finds them read no more
            }
            try {
                shadows.drop();
            } catch (SQLException e) {
                // tried again before the next statement, which then fails with the reason
            }
        }
    }

    /** The transaction committed: what it made plain is plain. */
    void committed() {
        madePlainInTransaction.committed();
    }

    /** The transaction rolled back: the columns hold their envelopes and records again. */
    void rolledBack() {
        madePlainInTransaction.rolledBack();
    }

    /** The lease ends (its statements closed): no copy outlives it. */
    boolean endLease() {
        try {
            escapeAfterRows(null); // the lease's statements were closed
            return shadows == null || shadows.drop();
        } catch (SQLException e) {
            return false;
        }
    }
}
