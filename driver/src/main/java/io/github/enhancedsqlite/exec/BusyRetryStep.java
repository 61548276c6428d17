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
        boolean controlsTransaction = StatementEffects.has(effects, StatementEffects.OPENS_TRANSACTION)
                || StatementEffects.has(effects, StatementEffects.ENDS_TRANSACTION);
        boolean inTransaction = transactions.inTransaction();
        if (!inTransaction && !controlsTransaction && !StatementEffects.has(effects, StatementEffects.WRITES)) {
            // a read outside any transaction holds no writer turn and has no transaction timeout to interrupt it, so
            // nobody asks whether it is running: not marking it saves two volatile writes on every point read
            return transactions.retrying(action);
        }
        boolean retryable = controlsTransaction || !inTransaction;
        transactions.executing(true); // the transaction timeout interrupts a running statement instead of rolling back
        try {
            return retryable ? transactions.retrying(action) : transactions.runStatement(action);
        } finally {
            transactions.executing(false);
        }
    }
}
