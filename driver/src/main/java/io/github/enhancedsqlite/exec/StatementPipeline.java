package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.tx.QueryDeadline;
import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.TransactionControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;

/**
 * How one statement runs on one physical connection, as a fixed order of steps, each a small class owning its state:
 * <ol>
 *   <li>{@link TransactionStep}: the writer turn and the lazy BEGIN (or, for a writing batch in auto-commit mode, a
 *       transaction of the batch's own), and what a failure does to the transaction;</li>
 *   <li>{@link SlowStatementStep}: timing from there (left out when slowStatementThreshold is 0);</li>
 *   <li>{@link CompressionStep}: dictionary training and the record of compressed columns (left out when compression
 *       is off);</li>
 *   <li>{@link QueryDeadline}: the statement's query timeout;</li>
 *   <li>{@link BusyRetryStep}: the statement itself, retried on busy where that is safe;</li>
 *   <li>{@link SchemaChangeStep}: DDL invalidates what was known of the schema.</li>
 * </ol>
 * Built per connection from the {@link PipelinePlan} its pool made once; a left-out step costs a null check. {@code execute} and
 * {@code executeBatch} take the same path. Allocates nothing per call beyond what the caller's action does.
 */
public final class StatementPipeline {

    private final Connection sqlite;
    /** Also the source of query deadlines: they run on the pool's own timer thread. */
    private final TransactionControl transactions;
    private final TransactionStep transaction;
    private final BusyRetryStep busyRetry;
    private final SchemaChangeStep schemaChanges;
    /** Null when compression is off. */
    private final CompressionStep compression;
    /** Null when slowStatementThreshold is 0. */
    private final SlowStatementStep slowStatements;

    StatementPipeline(Connection sqlite, TransactionControl transactions, Compression schema,
                      CompressionStep compression, SlowStatementStep slowStatements) {
        this.sqlite = sqlite;
        this.transactions = transactions;
        this.transaction = new TransactionStep(transactions);
        this.busyRetry = new BusyRetryStep(transactions);
        this.schemaChanges = new SchemaChangeStep(schema);
        this.compression = compression;
        this.slowStatements = slowStatements;
    }

    /**
     * Runs one statement, or one batch, through the steps.
     *
     * @param effects        what it does ({@link StatementEffects})
     * @param compressedInto columns its values are stored compressed into; null when none
     * @param batch          the action runs a batch
     */
    public <T> T execute(StatementCall call, int effects, int queryTimeoutSeconds, SqlAction<T> action,
                         Set<ColumnRef> compressedInto, boolean batch) throws SQLException {
        boolean wholeBatch = batch && transaction.takesWholeBatch(effects);
        boolean tookTurn = !wholeBatch && transaction.before(call, effects);
        // timed from here: a wait for the writer turn is not the statement's slowness (writerWaits shows it)
        long started = slowStatements != null ? System.nanoTime() : 0L;
        QueryDeadline deadline = null;
        boolean succeeded = false;
        try {
            T result;
            if (wholeBatch) {
                deadline = transactions.queryDeadline(queryTimeoutSeconds);
                result = transaction.runAsOneTransaction(() -> {
                    if (compression != null) {
                        compression.record(compressedInto, true);
                    }
                    return action.run();
                });
                if (compression != null) {
                    compression.committed();
                }
            } else {
                if ((compressedInto != null && !compressedInto.isEmpty()) || !call.madePlain().isEmpty()) {
                    transactions.settleUpgradeBeforeOwnWrites(); // the step below may write before the statement
                }
                if (compression != null) {
                    compression.before(effects, compressedInto, transaction.inTransaction(), call.madePlain());
                } else if (!call.madePlain().isEmpty()) {
                    // returning columns to plain storage is the compression step's work, left out with compress=off
                    throw new SQLFeatureNotSupportedException("This statement reads " + call.madePlain()
                            + ", which hold compressed values; it needs them stored plain first, which a pool opened"
                            + " with compress=off does not do. Run it through a pool with compress=auto or a column"
                            + " list.", "0A000");
                }
                deadline = transactions.queryDeadline(queryTimeoutSeconds);
                result = busyRetry.run(effects, action);
            }
            succeeded = true;
            schemaChanges.after(effects);
            return result;
        } catch (SQLException e) {
            throw transaction.failed(call, e, deadline != null && deadline.finish(),
                    wholeBatch || StatementEffects.has(effects, StatementEffects.WRITES), wholeBatch);
        } finally {
            if (deadline != null) {
                deadline.finish();
            }
            if (!wholeBatch) {
                transaction.after(call, tookTurn, effects, succeeded);
            }
            if (compression != null) {
                compression.after(transaction.inTransaction());
            }
            if (slowStatements != null) {
                slowStatements.logIfSlow(call, started);
            }
        }
    }

    /**
     * The error hook of the forwarded calls of a lease (ResultSet.next(), getters, metadata, ...): the error reaches
     * the transaction's state, and an interrupt the repair of the connection's statements, as one from
     * {@link #execute} does.
     */
    public SQLException failed(InterruptRepair repair, SQLException error) {
        return transaction.failed(repair, error, false, false, false);
    }

    /** The application committed (commit(), or auto-commit switched on): what the transaction recorded counts. */
    public void committed() {
        if (compression != null) {
            compression.committed();
        }
    }

    /** The application rolled back. */
    public void rolledBack() {
        if (compression != null) {
            compression.rolledBack();
        }
    }

    /** The stored form of a value bound for a compressing column; null to store it as it is. */
    public byte[] encode(ColumnRef column, byte[] raw, boolean blob) {
        return compression == null ? null : compression.encode(column, raw, blob);
    }

    /** The steps in the order an execution passes them, e.g. for a debugger or a test. */
    @Override
    public String toString() {
        return "StatementPipeline[transaction" + (slowStatements != null ? ", slow statement log" : "")
                + (compression != null ? ", compression" : "") + ", query deadline, busy retry, schema change]";
    }
}
