package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.exec.StatementPipeline;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * One sqlite-jdbc connection as the pool keeps it, with the state that lives as long as it does: its
 * statement cache, its transaction control, and the statements of the current lease (kept here so a lease
 * allocates no list).
 * HikariCP pools these; the application never sees one.
 */
public final class PhysicalConnection extends ForwardingConnection {

    private final StatementCache statementCache;
    /** How this connection's statements run: built once, with the steps of disabled features left out. */
    private final StatementPipeline pipeline;
    private final DatabaseMetrics metrics;
    private final LeaseStatements leaseStatements = new LeaseStatements();
    /** Runs once, while the sqlite-jdbc connection is still open, when this connection closes. */
    private final Runnable beforeClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The compression generation the cached statements were rewritten under. */
    private long cachedGeneration;

    public PhysicalConnection(Connection sqlite, int statementCacheSize, StatementPipeline pipeline,
                              DatabaseMetrics metrics, Runnable beforeClose) {
        super(sqlite, databaseOf(sqlite));
        this.beforeClose = beforeClose;
        this.metrics = metrics;
        this.statementCache = new StatementCache(statementCacheSize);
        this.pipeline = pipeline;
        this.cachedGeneration = pipeline.schemaGeneration();
    }

    private static DB databaseOf(Connection sqlite) {
        if (sqlite instanceof SQLiteConnection own) {
            return own.getDatabase();
        }
        throw new IllegalArgumentException("not a sqlite-jdbc connection: " + sqlite);
    }

    /** The statement cache, emptied first if the schema changed since its statements were rewritten. */
    StatementCache currentStatementCache() {
        long generation = pipeline.schemaGeneration();
        if (generation != cachedGeneration) {
            statementCache.closeAll();
            cachedGeneration = generation;
        }
        return statementCache;
    }

    StatementPipeline pipeline() {
        return pipeline;
    }

    DatabaseMetrics metrics() {
        return metrics;
    }

    /** Trains the zstd dictionaries compression asks for, through a lease of this connection (background work). */
    public void trainDictionaries(Connection lease) {
        pipeline.trainDictionaries(lease);
    }

    /** The sqlite-jdbc connection itself. */
    public Connection sqlite() {
        return delegate;
    }

    LeaseStatements leaseStatements() {
        return leaseStatements;
    }

    @Override
    public void close() throws SQLException {
        if (!closed.compareAndSet(false, true)) {
            return; // HikariCP's close and an abort may both reach here
        }
        // Each step runs whatever the one before threw: the sqlite-jdbc connection must close, or its file stays open.
        // The pipeline (its codec) closes before beforeClose, which may free the dictionaries its zstd contexts still reference.
        try {
            statementCache.closeAll();
        } finally {
            try {
                pipeline.close();
            } finally {
                try {
                    beforeClose.run();
                } finally {
                    delegate.close();
                }
            }
        }
    }

    /**
     * Stops the statement running on this connection now, from any thread; it fails with SQLITE_INTERRUPT. Nothing
     * happens when none runs.
     */
    void interruptRunning() {
        try {
            delegate.unwrap(SQLiteConnection.class).getDatabase().interrupt();
        } catch (SQLException e) {
            // closed already: nothing left to stop
        }
    }

    /** Closes, for a caller that can only log a failure. */
    void closeQuietly() {
        try {
            close();
        } catch (SQLException | RuntimeException e) {
            // the caller's own failure is what gets reported
        }
    }

    /**
     * HikariCP aborts connections still lent out when its pool shuts down; sqlite-jdbc's abort does nothing, which
     * would leave the file open and its -wal behind. Closing is what abort means here.
     */
    @Override
    public void abort(Executor executor) throws SQLException {
        close();
    }

    /** The driver's own calls see sqlite-jdbc's errors as they are. */
    @Override
    SQLException checkException(SQLException error) {
        return error;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
