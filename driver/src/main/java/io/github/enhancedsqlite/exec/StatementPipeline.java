package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.RewrittenSql;
import io.github.enhancedsqlite.tx.QueryDeadline;
import io.github.enhancedsqlite.tx.SqlAction;
import io.github.enhancedsqlite.tx.TransactionControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Set;

/**
 * How one statement runs on one physical connection, as a fixed order of steps, each a small class owning its state:
 * <ol>
 *   <li>{@link TransactionStep}: the writer turn and the lazy BEGIN (or, for a writing batch in auto-commit mode, a
 *       transaction of the batch's own), and what a failure does to the transaction;</li>
 *   <li>{@link SlowStatementStep}: timing from there (left out when slowStatementThreshold is 0);</li>
 *   <li>{@link CompressionStep}: dictionary training and the record of compressed columns (left out when compression
 *       is off);</li>
 *   <li>{@link PlainStorageStep}: columns returned to plain storage before a statement that reads their stored
 *       form (always present: a {@code compress=off} pool may open a file that holds compressed values);</li>
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
    private final PlainStorageStep plainStorage;
    /** Null when compression is off. */
    private final CompressionStep compression;
    /** Null when slowStatementThreshold is 0. */
    private final SlowStatementStep slowStatements;
    /** The compression of the database, for the rewrite of each statement; with compression off too. */
    private final Compression schema;
    private final StoredValues values;
    /** The database opens read-only: no statement can write it, whatever the connection's read-only flag says. */
    private final boolean readOnlyDatabase;

    StatementPipeline(Connection sqlite, TransactionControl transactions, boolean readOnlyDatabase, Compression schema,
                      StoredValues values, OwnWrites ownWrites, CompressionStep compression,
                      SlowStatementStep slowStatements) {
        this.sqlite = sqlite;
        this.readOnlyDatabase = readOnlyDatabase;
        this.schema = schema;
        this.values = values;
        this.transactions = transactions;
        this.transaction = new TransactionStep(transactions);
        this.busyRetry = new BusyRetryStep(transactions);
        this.schemaChanges = new SchemaChangeStep(schema, sqlite);
        this.plainStorage = new PlainStorageStep(schema, sqlite, ownWrites, values);
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
        Set<ColumnRef> madePlain = call.madePlain();
        boolean writes = StatementEffects.has(effects, StatementEffects.WRITES); // as the application wrote it
        boolean cannotWrite = cannotWrite();
        if (!madePlain.isEmpty() && !cannotWrite) {
            effects |= StatementEffects.WRITES; // even a SELECT: its columns are rewritten plain under the writer turn
        }
        plainStorage.beforeAny(call, effects);
        boolean wholeBatch = batch && transaction.takesWholeBatch(effects);
        boolean tookTurn = !wholeBatch && transaction.before(call, effects);
        // timed from here: a wait for the writer turn is not the statement's slowness (writerWaits shows it)
        long started = slowStatements != null ? slowStatements.now() : 0L;
        QueryDeadline deadline = null;
        boolean succeeded = false;
        boolean rows = false;
        try {
            T result;
            if (wholeBatch) {
                deadline = transactions.queryDeadline(queryTimeoutSeconds);
                result = transaction.runAsOneTransaction(() -> {
                    if (compression != null) {
                        compression.record(compressedInto, true);
                    }
                    plainStorage.before(call, madePlain, true, cannotWrite);
                    T ran = action.run();
                    if (writes) {
                        plainStorage.wrote(call, true, ran);
                    }
                    return ran;
                });
                if (compression != null) {
                    compression.committed();
                }
                plainStorage.committed();
            } else {
                if ((compressedInto != null && !compressedInto.isEmpty()) || !call.madePlain().isEmpty()) {
                    transactions.settleUpgradeBeforeOwnWrites(); // the step below may write before the statement
                }
                if (compression != null) {
                    compression.before(compressedInto, transaction.inTransaction());
                }
                plainStorage.before(call, madePlain, transaction.inTransaction(), cannotWrite);
                deadline = transactions.queryDeadline(queryTimeoutSeconds);
                result = busyRetry.run(effects, action);
                if (writes) {
                    plainStorage.wrote(call, transaction.inTransaction(), result);
                }
            }
            succeeded = true;
            rows = result instanceof java.sql.ResultSet || Boolean.TRUE.equals(result);
            schemaChanges.after(effects);
            return result;
        } catch (SQLException e) {
            throw transaction.failed(call, e, deadline != null && deadline.finish(),
                    wholeBatch || StatementEffects.has(effects, StatementEffects.WRITES), wholeBatch);
        } finally {
            if (deadline != null && deadline.finish()) {
                call.afterInterrupt(); // it may have fired as the statement ended: still pending for the next one
            }
            if (!wholeBatch) {
                transaction.after(call, tookTurn, effects, succeeded);
            }
            if (compression != null) {
                compression.after(transaction.inTransaction());
            }
            plainStorage.after(call, transaction.inTransaction(), rows);
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

    /**
     * The statement as it must run so that compressed columns cannot change its result (see
     * {@link Compression#rewrite}).
     */
    public RewrittenSql rewrite(String sql) throws SQLException {
        RewrittenSql rewritten = schema.rewrite(sql, sqlite, cannotWrite());
        plainStorage.beforePrepare(sql, rewritten);
        return rewritten;
    }

    /** Whether no statement can write the database now: it opens read-only, or the connection was set read-only. */
    private boolean cannotWrite() {
        return readOnlyDatabase || transactions.readOnly();
    }

    /**
     * The schema generation: when it changes, statements prepared from rewritten SQL may no longer be reused.
     */
    /**
     * Trains the zstd dictionaries compression asks for, through {@code lease} (a pooled lease of this connection,
     * held by the pool's background work); nothing with compress=off.
     */
    public void trainDictionaries(java.sql.Connection lease) {
        if (compression != null) {
            compression.trainDictionaries(lease, transactions::beginWriting);
        }
    }

    public long schemaGeneration() {
        return schema.generation();
    }

    /** How this connection reads and binds values of columns that may hold envelopes. */
    public StoredValues values() {
        return values;
    }

    // ---------------------------------------------------------------- the application's transaction calls

    public boolean autoCommit() {
        return transactions.autoCommit();
    }

    public void setAutoCommit(boolean on) throws SQLException {
        transactions.setAutoCommit(on);
        if (on) {
            committed(); // switching auto-commit on committed
        }
    }

    public void commit() throws SQLException {
        transactions.commit();
        committed();
    }

    public void rollback() throws SQLException {
        transactions.rollback();
        rolledBack();
    }

    public Savepoint setSavepoint(String name) throws SQLException {
        return transactions.setSavepoint(name);
    }

    public void rollback(Savepoint savepoint) throws SQLException {
        transactions.rollback(savepoint);
    }

    /** Releasing the savepoint that began the transaction commits it: what it recorded counts then. */
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        transactions.releaseSavepoint(savepoint);
        if (!transactions.inTransaction()) {
            committed();
        }
    }

    public boolean readOnly() {
        return transactions.readOnly();
    }

    public void setReadOnly(boolean on) throws SQLException {
        transactions.setReadOnly(on);
    }

    /**
     * The lease ends: an open transaction is rolled back and the writer turn given back.
     *
     * @return false when the connection could not be reset and must not be lent again
     */
    public boolean endLease() {
        boolean wasInTransaction = transactions.inTransaction();
        boolean reset = transactions.endLease() & plainStorage.endLease();
        if (wasInTransaction) {
            rolledBack();
        }
        return reset;
    }

    /**
     * The lease is closed by another thread or aborted: a statement waiting for the writer turn or backing off
     * against another process's lock stops and fails as closed (see {@link TransactionControl#stopWaiting}).
     */
    public void stopWaiting(String why) {
        transactions.stopWaiting(why);
    }

    /** No statement of the closed lease runs any more: the next lease's statements wait for their turn again. */
    public void waitingAllowed() {
        transactions.waitingAllowed();
    }

    /** The physical connection closes: its native resources go. */
    public void close() {
        values.close();
    }

    /** The application committed (commit(), or auto-commit switched on): what the transaction recorded counts. */
    private void committed() {
        if (compression != null) {
            compression.committed();
        }
        plainStorage.committed();
    }

    /** The application rolled back. */
    private void rolledBack() {
        if (compression != null) {
            compression.rolledBack();
        }
        plainStorage.rolledBack();
    }

    /** The stored form of a value bound for a compressing column; null to store it as it is. */
    public byte[] encode(ColumnRef column, byte[] raw, boolean blob) {
        return compression == null ? null : compression.encode(column, raw, blob);
    }

    /** The steps in the order an execution passes them, e.g. for a debugger or a test. */
    @Override
    public String toString() {
        return "StatementPipeline[transaction" + (slowStatements != null ? ", slow statement log" : "")
                + (compression != null ? ", compression" : "") + ", plain storage, query deadline, busy retry, schema change]";
    }
}
