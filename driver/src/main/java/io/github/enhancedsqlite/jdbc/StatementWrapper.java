package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.RewrittenSql;
import io.github.enhancedsqlite.exec.StatementCall;
import io.github.enhancedsqlite.sql.SqlScript;
import io.github.enhancedsqlite.tx.SqlAction;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sqlite.core.CoreStatement;

/**
 * A statement whose {@link #getConnection()} is the connection the application holds, whose result sets lead
 * back to it, and whose executions run under the connection's transaction rules ({@link ConnectionWrapper#execute}).
 */
class StatementWrapper extends ForwardingStatement implements StatementCall {

    final ConnectionWrapper connection;
    /**
     * The thread running this statement now, null between executions: {@code cancel()} from another thread
     * interrupts only then (or while a result set is open), see {@link ConnectionWrapper#cancel}.
     */
    volatile Thread executingThread;
    /** The result set handed out last, closed when a cached statement is reset for reuse. */
    ResultSetWrapper lastResult;
    int queryTimeoutSeconds;
    /** The rewrite of the statement's SQL that ran last; it tells which result columns to decode. */
    RewrittenSql lastRewritten;
    /** The application's SQL that ran last (before any rewrite), for the slow-statement log. */
    String lastSql;
    /** What the statements added to the batch do, together (see {@link SqlInspector}). */
    int batchEffects;
    /** Columns the statements added to the batch store envelopes into as they are; null when none. */
    private Set<ColumnRef> batchCopiedInto;
    /** Columns the batch's statements return to plain storage first; null when none. */
    private Set<ColumnRef> batchMadePlain;
    /** While a batch runs, what it returns to plain storage; null otherwise. */
    private Set<ColumnRef> runningBatchMadePlain;
    /** The application's SQL of the statements added to the batch, in order. */
    private final List<String> batchSql = new ArrayList<>();
    /** Entries that make a batch run entry by entry ({@link #runEntryByEntry}). */
    private static final int TRANSACTION_CONTROL = SqlInspector.OPENS_TRANSACTION | SqlInspector.ENDS_TRANSACTION
            | SqlInspector.RELEASES_SAVEPOINT;

    StatementWrapper(Statement delegate, ConnectionWrapper connection) {
        super(delegate, connection);
        this.connection = connection;
    }

    @Override
    final SQLException checkException(SQLException error) {
        return connection.checkException(error);
    }

    /** Wraps a result set so that {@code getStatement()} returns this statement; null stays null. */
    final ResultSet wrap(ResultSet resultSet) {
        return wrap(resultSet, null);
    }

    /** As {@link #wrap(ResultSet)}, decoding the compressed result columns the rewrite left bare. */
    final ResultSet wrap(ResultSet resultSet, RewrittenSql rewritten) {
        if (resultSet == null) {
            return null;
        }
        RewrittenSql decoding = rewritten != null && rewritten.decodesAny() ? rewritten : null;
        if (lastResult != null) {
            // sqlite-jdbc hands one result set object to every execution of a statement, so a result set the
            // application got before shows the new rows, as it does on sqlite-jdbc; another object cuts the old off
            if (lastResult.rearm(resultSet, decoding)) {
                return lastResult;
            }
            lastResult.detach();
        }
        lastResult = new ResultSetWrapper(resultSet, this, connection, decoding);
        return lastResult;
    }

    /** Closes the statement for good; a cached prepared statement overrides this to go back to its cache. */
    @Override
    public void close() throws SQLException {
        if (connection.forget(this)) {
            if (lastResult != null) {
                lastResult.detach();
            }
            delegate.close();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (delegate.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        return connection;
    }

    @Override
    public final ResultSet executeQuery(String sql) throws SQLException {
        String text = rewritten(sql);
        return (ResultSet) run(sql, Execution.of(this, Execution.QUERY, text, lastRewritten));
    }

    @Override
    public final ResultSet getResultSet() throws SQLException {
        return noSqliteStatement() ? null : wrap(delegate.getResultSet(), lastRewritten);
    }

    @Override
    public final int getUpdateCount() throws SQLException {
        return noSqliteStatement() ? -1 : super.getUpdateCount();
    }

    @Override
    public final long getLargeUpdateCount() throws SQLException {
        return noSqliteStatement() ? -1 : super.getLargeUpdateCount();
    }

    @Override
    public final boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public final boolean getMoreResults(int current) throws SQLException {
        if (!noSqliteStatement()) {
            return super.getMoreResults(current);
        }
        if (current != CLOSE_CURRENT_RESULT) { // what sqlite-jdbc accepts when it has a statement
            throw new SQLFeatureNotSupportedException("getMoreResults(" + current + "): only"
                    + " Statement.CLOSE_CURRENT_RESULT (" + CLOSE_CURRENT_RESULT + ") is supported");
        }
        return false;
    }

    /**
     * True when sqlite-jdbc has prepared nothing for this statement yet: a fresh statement, or one that only ran
     * {@code executeUpdate(String)}, which sqlite-jdbc hands to sqlite3_exec, or its backup or restore command.
     * sqlite-jdbc reads the current result from its prepared statement and threw NullPointerException there
     * (xerial/sqlite-jdbc#1129); such a statement has no current result, which is what sqlite-jdbc answers once a
     * statement's results were read. A closed one fails as closed.
     */
    private boolean noSqliteStatement() throws SQLException {
        Statement sqlite = delegate;
        if (!(sqlite instanceof CoreStatement) || ((CoreStatement) sqlite).pointer != null) {
            return false;
        }
        if (sqlite.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        return true;
    }

    private <T> T run(String sql, SqlAction<T> action) throws SQLException {
        return connection.execute(this, connection.inspect(sql), queryTimeoutSeconds, action,
                lastRewritten == null ? null : lastRewritten.copiedInto(), false);
    }

    @Override
    public final String sqlRun() {
        return lastRewritten == null ? lastSql : lastRewritten.sql();
    }

    @Override
    public final java.util.function.IntPredicate decodedColumns() {
        RewrittenSql rewritten = lastRewritten;
        return rewritten != null && rewritten.decodesAny() ? rewritten::decodes : null;
    }

    /** A plain statement binds no values; a prepared one overrides this. */
    @Override
    public Object[] boundValues() {
        return null;
    }

    /** The SQL the slow-statement log names. */
    @Override
    public final String sqlForLog() {
        return lastSql;
    }

    /** The bound values as text, for the slow-statement log when logParameters is on; a plain statement has none. */
    @Override
    public String parametersForLog() {
        return null;
    }

    /**
     * Interrupts this statement's own execution, or the stepping of its open result set; with neither there is
     * nothing to cancel, and a closed statement has nothing either (sqlite-jdbc does not refuse it there).
     */
    @Override
    public final void cancel() throws SQLException {
        if (!isClosed()) {
            connection.cancel(this);
        }
    }

    @Override
    public final void afterInterrupt() {
        connection.afterInterrupt();
    }

    /**
     * A statement's SQL is rewritten as it runs, for the connection as it is then, and a batch holding statements the
     * rewriter cannot read is rewritten again when it runs ({@link #rewriteBatchForNow}): nothing to prepare again.
     */
    @Override
    public boolean prepareAgain() throws SQLException {
        return false;
    }

    /** Swaps in a freshly created sqlite-jdbc statement and finalizes the old one (see ConnectionWrapper). */
    void renew() throws SQLException {
        Statement old = delegate;
        delegate = connection.rawStatement(old);
        old.close();
    }

    /** Columns the statement about to run returns to plain storage first (CREATE INDEX, VIEW, TRIGGER). */
    @Override
    public final Set<ColumnRef> madePlain() {
        if (runningBatchMadePlain != null) {
            return runningBatchMadePlain;
        }
        return lastRewritten == null ? Set.of() : lastRewritten.madePlain();
    }

    @Override
    public final void closeResult() throws SQLException {
        if (hasOpenResult()) {
            lastResult.close();
        }
    }

    @Override
    public final boolean readingRows() throws SQLException {
        return hasOpenResult() && lastResult.mayStep();
    }

    /** Whether the application may still be reading rows of this statement. */
    final boolean hasOpenResult() throws SQLException {
        return lastResult != null && !lastResult.isClosed();
    }

    /** Rewrites SQL about to run and remembers it, so a later getResultSet() decodes what it must. */
    private String rewritten(String sql) throws SQLException {
        lastSql = sql;
        lastRewritten = connection.rewrite(sql);
        return lastRewritten.sql();
    }

    @Override
    public final ResultSet getGeneratedKeys() throws SQLException {
        return wrap(delegate.getGeneratedKeys());
    }

    @Override
    public final boolean execute(String sql) throws SQLException {
        String text = rewritten(sql);
        return (Boolean) run(sql, Execution.of(this, Execution.EXECUTE, text, null));
    }

    @Override
    public final boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        String text = rewritten(sql);
        return (Boolean) run(sql, Execution.withKeys(this, Execution.EXECUTE, text, autoGeneratedKeys));
    }

    @Override
    public final boolean execute(String sql, int[] columnIndexes) throws SQLException {
        String text = rewritten(sql);
        return (Boolean) run(sql, Execution.withIndexes(this, Execution.EXECUTE, text, columnIndexes));
    }

    @Override
    public final boolean execute(String sql, String[] columnNames) throws SQLException {
        String text = rewritten(sql);
        return (Boolean) run(sql, Execution.withNames(this, Execution.EXECUTE, text, columnNames));
    }

    @Override
    public final int executeUpdate(String sql) throws SQLException {
        List<String> script = script(sql);
        if (script != null) {
            return (int) runScript(script, Execution.UPDATE, false, 0);
        }
        String text = rewritten(sql);
        return (Integer) run(sql, Execution.of(this, Execution.UPDATE, text, null));
    }

    @Override
    public final int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        List<String> script = script(sql);
        if (script != null) {
            return (int) runScript(script, Execution.UPDATE, true, autoGeneratedKeys);
        }
        String text = rewritten(sql);
        return (Integer) run(sql, Execution.withKeys(this, Execution.UPDATE, text, autoGeneratedKeys));
    }

    @Override
    public final int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        String text = rewritten(sql);
        return (Integer) run(sql, Execution.withIndexes(this, Execution.UPDATE, text, columnIndexes));
    }

    @Override
    public final int executeUpdate(String sql, String[] columnNames) throws SQLException {
        String text = rewritten(sql);
        return (Integer) run(sql, Execution.withNames(this, Execution.UPDATE, text, columnNames));
    }

    @Override
    public final long executeLargeUpdate(String sql) throws SQLException {
        List<String> script = script(sql);
        if (script != null) {
            return runScript(script, Execution.LARGE_UPDATE, false, 0);
        }
        String text = rewritten(sql);
        return (Long) run(sql, Execution.of(this, Execution.LARGE_UPDATE, text, null));
    }

    @Override
    public final long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        List<String> script = script(sql);
        if (script != null) {
            return runScript(script, Execution.LARGE_UPDATE, true, autoGeneratedKeys);
        }
        String text = rewritten(sql);
        return (Long) run(sql, Execution.withKeys(this, Execution.LARGE_UPDATE, text, autoGeneratedKeys));
    }

    @Override
    public final long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        String text = rewritten(sql);
        return (Long) run(sql, Execution.withIndexes(this, Execution.LARGE_UPDATE, text, columnIndexes));
    }

    @Override
    public final long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        String text = rewritten(sql);
        return (Long) run(sql, Execution.withNames(this, Execution.LARGE_UPDATE, text, columnNames));
    }

    /**
     * The statements of a text given to executeUpdate; null when it runs as it is: one statement, or sqlite-jdbc's own
     * {@code backup} or {@code restore} command, which sqlite-jdbc reads from the whole text (and refuses as a syntax
     * error when more follows).
     */
    private static List<String> script(String sql) {
        boolean sqliteJdbcCommand = sql != null
                && (sql.regionMatches(true, 0, "backup", 0, 6) || sql.regionMatches(true, 0, "restore", 0, 7));
        return sqliteJdbcCommand ? null : SqlScript.statements(sql);
    }

    /**
     * A text of several statements given to executeUpdate, which sqlite-jdbc runs whole ({@code sqlite3_exec}):
     * each statement runs here in turn as if executed alone, so its writer turn, transaction, session state, schema
     * change and rewrite are seen as for any statement, not just the first one's. The count is their sum, as
     * sqlite-jdbc counts the text's change of total_changes(); an error stops the text there, as sqlite3_exec stops,
     * and what ran before it stays done.
     */
    private long runScript(List<String> statements, int what, boolean withKeys, int keys) throws SQLException {
        long changes = 0;
        for (String statement : statements) {
            String text = rewritten(statement);
            Execution execution = withKeys ? Execution.withKeys(this, what, text, keys)
                    : Execution.of(this, what, text, null);
            changes += ((Number) run(statement, execution)).longValue();
        }
        return changes;
    }

    @Override
    public final void addBatch(String sql) throws SQLException {
        int effects = connection.inspect(sql);
        RewrittenSql rewritten = connection.rewrite(sql);
        delegate.addBatch(rewritten.sql());
        batchSql.add(sql);
        lastSql = sql;
        batchEffects |= effects;
        if (!rewritten.copiedInto().isEmpty()) {
            if (batchCopiedInto == null) {
                batchCopiedInto = new HashSet<>();
            }
            batchCopiedInto.addAll(rewritten.copiedInto());
        }
        if (!rewritten.madePlain().isEmpty()) {
            if (batchMadePlain == null) {
                batchMadePlain = new HashSet<>();
            }
            batchMadePlain.addAll(rewritten.madePlain());
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        batchSql.clear();
        batchEffects = 0;
        batchCopiedInto = null;
        batchMadePlain = null;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if ((batchEffects & TRANSACTION_CONTROL) != 0) {
            long[] counts = runEntryByEntry();
            int[] narrowed = new int[counts.length];
            for (int i = 0; i < counts.length; i++) {
                narrowed[i] = (int) counts[i];
            }
            return narrowed;
        }
        int effects = batchEffects;
        Set<ColumnRef> copiedInto = batchCopiedInto;
        batchEffects = 0;
        batchCopiedInto = null;
        rewriteBatchForNow();
        runningBatchMadePlain = batchMadePlain == null ? Set.of() : batchMadePlain;
        batchMadePlain = null;
        try {
            return (int[]) connection.execute(this, effects, queryTimeoutSeconds,
                    Execution.of(this, Execution.BATCH, null, null), copiedInto, true);
        } finally {
            runningBatchMadePlain = null;
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if ((batchEffects & TRANSACTION_CONTROL) != 0) {
            return runEntryByEntry();
        }
        int effects = batchEffects;
        Set<ColumnRef> copiedInto = batchCopiedInto;
        batchEffects = 0;
        batchCopiedInto = null;
        rewriteBatchForNow();
        runningBatchMadePlain = batchMadePlain == null ? Set.of() : batchMadePlain;
        batchMadePlain = null;
        try {
            return (long[]) connection.execute(this, effects, queryTimeoutSeconds,
                    Execution.of(this, Execution.LARGE_BATCH, null, null), copiedInto, true);
        } finally {
            runningBatchMadePlain = null;
        }
    }

    /**
     * A batch holding its own BEGIN, COMMIT, ROLLBACK, SAVEPOINT or RELEASE: it cannot run as one transaction of the
     * driver's, so its entries run one after the other, each through the pipeline as a batch of one — sqlite-jdbc's
     * own way, each entry's first statement run as an update —, so that the transaction control sees each. The batch
     * is emptied whatever happens, as sqlite-jdbc empties it; a failure stops it there, what ran before staying done,
     * and names the entry with the counts so far, as sqlite-jdbc's does.
     */
    private long[] runEntryByEntry() throws SQLException {
        List<String> entries = new ArrayList<>(batchSql);
        clearBatch();
        long[] counts = new long[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String sql = entries.get(i);
            try {
                delegate.addBatch(rewritten(sql));
                long[] one = (long[]) connection.execute(this, connection.inspect(sql), queryTimeoutSeconds,
                        Execution.of(this, Execution.LARGE_BATCH, null, null), lastRewritten.copiedInto(), true);
                counts[i] = one[0];
            } catch (SQLException e) {
                delegate.clearBatch();
                // sqlite-jdbc's failure names the entry of its one-entry batch: this one names the batch's
                SQLException cause = e instanceof BatchUpdateException && e.getCause() instanceof SQLException
                        ? (SQLException) e.getCause() : e;
                throw new BatchUpdateException("batch entry " + i + ": " + cause.getMessage(),
                        e instanceof BatchUpdateException ? null : e.getSQLState(),
                        e instanceof BatchUpdateException ? 0 : e.getErrorCode(), counts, cause);
            }
        }
        return counts;
    }

    /**
     * Before a batch runs. A batch holding statements the rewriter could not read was rewritten statement by statement
     * as they were added, for the connection as it was then; it is rewritten again for the connection as it is now
     * (set read-only or back, or given a temporary object named like a table since), so that none runs a text chosen
     * for another state.
     */
    private void rewriteBatchForNow() throws SQLException {
        if (batchMadePlain != null) {
            delegate.clearBatch();
            for (String sql : batchSql) {
                lastRewritten = connection.rewrite(sql);
                delegate.addBatch(lastRewritten.sql());
            }
        }
        batchSql.clear();
    }

    /**
     * Kept here rather than passed to sqlite-jdbc, which only turns it into a busy timeout; the execution
     * path stops a statement that runs past it.
     */
    @Override
    public final void setQueryTimeout(int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("Query timeout must be 0 (none) or a positive number of seconds, not " + seconds,
                    "HY024");
        }
        if (delegate.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        queryTimeoutSeconds = seconds;
    }

    @Override
    public final int getQueryTimeout() throws SQLException {
        if (delegate.isClosed()) {
            throw new SQLException("Statement is closed", "HY010");
        }
        return queryTimeoutSeconds;
    }

    @Override
    final void delegateHandedOut() {
        connection.sqliteHandedOut(); // sqlite-jdbc's statement's getConnection() is sqlite-jdbc's connection
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    /**
     * A prepared statement's execution of the given kind ({@link Execution}); a plain statement has none.
     */
    Object runPrepared(int what) throws SQLException {
        throw new IllegalStateException("a plain statement has no prepared execution");
    }

    /**
     * One execution as the pipeline runs it, and runs again where a busy retry is safe. One class for every execute
     * method of both kinds of statement, rather than a lambda each: a short-lived process pays for every lambda it
     * reaches about twice what a small class costs (docs/ARCHITECTURE.md, "Start-up cost"). It reads the statement's
     * sqlite-jdbc statement when it runs, so a statement prepared again in between is the one that runs.
     */
    static final class Execution implements SqlAction<Object> {
        static final int EXECUTE = 0;
        static final int UPDATE = 1;
        static final int LARGE_UPDATE = 2;
        static final int QUERY = 3;
        static final int BATCH = 4;
        static final int LARGE_BATCH = 5;
        static final int KINDS = 6;
        /** Which execute overload the application called: with the SQL only, or with one of JDBC's key arguments. */
        private static final int SQL_ONLY = 0;
        private static final int WITH_KEYS = 1;
        private static final int WITH_INDEXES = 2;
        private static final int WITH_NAMES = 3;

        private final StatementWrapper statement;
        private final int what;
        /** A prepared statement's execution (no SQL of its own), else a plain statement's. */
        private final boolean prepared;
        /** The SQL a plain statement runs (as rewritten); null for a batch. */
        private final String text;
        /** For a plain statement's query: the rewrite that says which result columns to decode. */
        private final RewrittenSql rewritten;
        /** The overload called ({@link #SQL_ONLY}, ...), passed on as it is: even a null array reaches sqlite-jdbc. */
        private final int form;
        private final int keys;
        private final int[] indexes;
        private final String[] names;

        private Execution(StatementWrapper statement, int what, boolean prepared, String text, RewrittenSql rewritten,
                          int form, int keys, int[] indexes, String[] names) {
            this.statement = statement;
            this.what = what;
            this.prepared = prepared;
            this.text = text;
            this.rewritten = rewritten;
            this.form = form;
            this.keys = keys;
            this.indexes = indexes;
            this.names = names;
        }

        static Execution of(StatementWrapper statement, int what, String text, RewrittenSql rewritten) {
            return new Execution(statement, what, false, text, rewritten, SQL_ONLY, 0, null, null);
        }

        static Execution withKeys(StatementWrapper statement, int what, String text, int keys) {
            return new Execution(statement, what, false, text, null, WITH_KEYS, keys, null, null);
        }

        static Execution withIndexes(StatementWrapper statement, int what, String text, int[] indexes) {
            return new Execution(statement, what, false, text, null, WITH_INDEXES, 0, indexes, null);
        }

        static Execution withNames(StatementWrapper statement, int what, String text, String[] names) {
            return new Execution(statement, what, false, text, null, WITH_NAMES, 0, null, names);
        }

        static Execution prepared(StatementWrapper statement, int what) {
            return new Execution(statement, what, true, null, null, SQL_ONLY, 0, null, null);
        }

        @Override
        public Object run() throws SQLException {
            if (prepared) {
                return statement.runPrepared(what);
            }
            Statement delegate = statement.delegate;
            switch (what) {
                case EXECUTE:
                    return form == WITH_INDEXES ? delegate.execute(text, indexes)
                            : form == WITH_NAMES ? delegate.execute(text, names)
                            : form == WITH_KEYS ? delegate.execute(text, keys) : delegate.execute(text);
                case UPDATE:
                    return form == WITH_INDEXES ? delegate.executeUpdate(text, indexes)
                            : form == WITH_NAMES ? delegate.executeUpdate(text, names)
                            : form == WITH_KEYS ? delegate.executeUpdate(text, keys) : delegate.executeUpdate(text);
                case LARGE_UPDATE:
                    return form == WITH_INDEXES ? delegate.executeLargeUpdate(text, indexes)
                            : form == WITH_NAMES ? delegate.executeLargeUpdate(text, names)
                            : form == WITH_KEYS ? delegate.executeLargeUpdate(text, keys)
                            : delegate.executeLargeUpdate(text);
                case QUERY:
                    return statement.wrap(delegate.executeQuery(text), rewritten);
                case BATCH:
                    return delegate.executeBatch();
                case LARGE_BATCH:
                    return delegate.executeLargeBatch();
                default:
                    throw new IllegalStateException("no execution of kind " + what);
            }
        }
    }
}
