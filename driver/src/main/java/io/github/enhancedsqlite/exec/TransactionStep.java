package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.SqliteErrors;
import io.github.enhancedsqlite.tx.TransactionControl;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The writer turn and the lazy BEGIN around one statement, and what its failure does to the transaction. The state
 * lives in the connection's {@link TransactionControl}, a state machine that never waits while holding its lock.
 */
final class TransactionStep {

    private final TransactionControl transactions;

    TransactionStep(TransactionControl transactions) {
        this.transactions = transactions;
    }

    boolean inTransaction() {
        return transactions.inTransaction();
    }

    /**
     * Whether a batch runs as one transaction of its own: a writing batch in auto-commit mode, because sqlite-jdbc
     * empties a batch when it runs it, so a half-applied batch could never be retried safely.
     */
    boolean takesWholeBatch(int effects) {
        return StatementEffects.has(effects, StatementEffects.WRITES) && transactions.autoCommit()
                && !transactions.inTransaction();
    }

    /**
     * Waits for the writer turn an auto-commit write or a reader's first write needs, or begins a pending transaction;
     * true: turn taken for this statement alone.
     */
    boolean before(StatementCall call, int effects) throws SQLException {
        return transactions.beforeStatement(StatementEffects.has(effects, StatementEffects.WRITES),
                StatementEffects.has(effects, StatementEffects.OPENS_TRANSACTION),
                StatementEffects.has(effects, StatementEffects.ENDS_TRANSACTION), call.sqlForLog());
    }

    /** Runs a writing batch as one transaction: all or nothing (only BEGIN and COMMIT are retried). */
    <T> T runAsOneTransaction(SqlAction<T> batch) throws SQLException {
        return transactions.runAsOneTransaction(batch);
    }

    /** Turns a failure into what the application should see, repairing the connection's state on the way. */
    SQLException failed(InterruptRepair call, SQLException error, boolean queryTimedOut, boolean wrote,
                        boolean wholeBatch) {
        if (!wholeBatch && SqliteErrors.isInterrupt(error)) {
            call.afterInterrupt(); // before failed(): its probe of the transaction must not be interrupted too
        }
        SQLException failure = transactions.failed(error, queryTimedOut, wrote);
        return wholeBatch && failure instanceof BatchUpdateException ? noEntryDone((BatchUpdateException) failure)
                : failure;
    }

    /**
     * A batch run as one transaction failed and rolled back whole: no entry's work remains, so none is reported done
     * (sqlite-jdbc counts the entries before the failure, which on sqlite-jdbc stay committed; code that runs again
     * only the entries after them would lose the rest here).
     */
    private static BatchUpdateException noEntryDone(BatchUpdateException failure) {
        long[] counts = new long[failure.getLargeUpdateCounts() == null ? 0 : failure.getLargeUpdateCounts().length];
        Arrays.fill(counts, Statement.EXECUTE_FAILED);
        BatchUpdateException rolledBack = new BatchUpdateException(failure.getMessage(), failure.getSQLState(),
                failure.getErrorCode(), counts, failure.getCause());
        rolledBack.setStackTrace(failure.getStackTrace());
        return rolledBack;
    }

    /**
     * Gives back a turn taken for this statement alone, notices the application's own BEGIN or COMMIT, and keeps a
     * reader's reads for the check at its first write.
     */
    void after(StatementCall call, boolean tookTurn, int effects, boolean succeeded) {
        if (succeeded && transactions.recordsReads() && !StatementEffects.has(effects, StatementEffects.WRITES)) {
            transactions.readDone(call.sqlRun(), call.boundValues(), call.decodedColumns());
        }
        if (succeeded && StatementEffects.has(effects, StatementEffects.CHANGES_SCHEMA)) {
            transactions.schemaChanged();
        }
        transactions.afterStatement(tookTurn, StatementEffects.has(effects, StatementEffects.OPENS_TRANSACTION),
                StatementEffects.has(effects, StatementEffects.ENDS_TRANSACTION),
                StatementEffects.has(effects, StatementEffects.RELEASES_SAVEPOINT), succeeded);
    }
}
