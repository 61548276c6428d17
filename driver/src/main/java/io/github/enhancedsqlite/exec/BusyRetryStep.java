package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.TransactionControl;
import java.sql.SQLException;

/**
 * Runs the statement itself, through the busy retry where running it again is safe: in auto-commit mode, and the
 * application's own BEGIN, COMMIT and ROLLBACK. Inside a transaction a busy error is not retried (earlier statements
 * of the transaction may have read what changed): it rolls the transaction back instead (see {@link TransactionStep}).
 */
final class BusyRetryStep {

    private final TransactionControl transactions;

    BusyRetryStep(TransactionControl transactions) {
        this.transactions = transactions;
    }

    <T> T run(int effects, SqlAction<T> action) throws SQLException {
        boolean retryable = StatementEffects.has(effects, StatementEffects.OPENS_TRANSACTION)
                || StatementEffects.has(effects, StatementEffects.ENDS_TRANSACTION) || !transactions.inTransaction();
        transactions.executing(true); // the transaction timeout interrupts a running statement instead of rolling back
        try {
            return retryable ? transactions.retrying(action) : transactions.runStatement(action);
        } finally {
            transactions.executing(false);
        }
    }
}
