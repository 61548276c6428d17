package io.github.enhancedsqlite;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.pool.PoolRegistry;
import io.github.enhancedsqlite.tx.Replay;
import io.github.enhancedsqlite.tx.SqlAction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Static helpers for what a URL cannot express. */
public final class EnhancedSqlite {

    private EnhancedSqlite() {
    }

    /**
     * Closes every pool this JVM opened: the WAL of each database is checkpointed and, where this JVM was
     * its last user, no -wal or -shm file remains. Connections opened afterwards start new pools. Also runs
     * at JVM exit and when the driver is deregistered.
     */
    public static void shutdown() {
        PoolRegistry.instance().closeAll();
    }

    /**
     * Runs {@code work} in one transaction on a connection from {@code dataSource} and commits it. When the
     * transaction is rolled back with SQLState 40001 (the database stayed busy), the whole unit runs again on a
     * fresh connection, up to {@value Replay#MAX_ATTEMPTS} times with backoff; any other failure rolls back and
     * is thrown as is.
     */
    public static <T> T inTransaction(DataSource dataSource, TransactionWork<T> work) throws SQLException {
        return Replay.run(new Unit<>(dataSource, null, work));
    }

    /**
     * As {@link #inTransaction(DataSource, TransactionWork)}, on a connection the caller holds; its auto-commit
     * mode is restored afterwards.
     */
    public static <T> T inTransaction(Connection connection, TransactionWork<T> work) throws SQLException {
        return Replay.run(new Unit<>(null, connection, work));
    }

    /**
     * One unit of work as {@link Replay} runs it, and runs again: on a fresh connection from the data source, or on
     * the caller's. A named class rather than a lambda: a hook process's first transaction would spin one
     * (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Unit<T> implements SqlAction<T> {
        private final DataSource dataSource;
        private final Connection held;
        private final TransactionWork<T> work;
        private int runs;

        Unit(DataSource dataSource, Connection held, TransactionWork<T> work) {
            this.dataSource = dataSource;
            this.held = held;
            this.work = work;
        }

        @Override
        public T run() throws SQLException {
            if (held != null) {
                countReplay(held);
                return once(held, work);
            }
            try (Connection connection = dataSource.getConnection()) {
                countReplay(connection);
                return once(connection, work);
            }
        }

        /** Every run after the first is a replay, counted in the database's figures when the connection is ours. */
        private void countReplay(Connection connection) throws SQLException {
            if (runs++ > 0 && connection.isWrapperFor(DatabaseMetrics.class)) {
                connection.unwrap(DatabaseMetrics.class).transactionReplayed();
            }
        }
    }

    private static <T> T once(Connection connection, TransactionWork<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Canonical paths (or shared-memory URIs) of the databases this JVM has pools for. */
    public static List<String> openDatabases() {
        return PoolRegistry.instance().openDatabases();
    }
}
