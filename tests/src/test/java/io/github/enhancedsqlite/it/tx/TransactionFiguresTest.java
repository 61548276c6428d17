package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.it.metrics.Figures;
import io.github.enhancedsqlite.DatabaseMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 point 2: the writer, retry and rollback figures of a database's MBean move exactly when the transaction
 * machinery waits, retries, rolls back and replays. Contention is made by holding a lock, never by timing.
 */
class TransactionFiguresTest extends TxDatabaseTest {

    private static final String PATIENT = "busy_timeout=0&busyRetryAttempts=1000&busyRetryBackoff=20&busyRetryMaxWait=60000";

    private String url(String query) throws SQLException {
        return database("figures.db", query, "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0)");
    }

    @Test
    void aWriterThatWaitsForTheTurnIsCountedWithItsWait() throws Exception {
        String url = url("");
        try (Connection holder = DriverManager.getConnection(url); Connection waiter = DriverManager.getConnection(url)) {
            DatabaseMXBean figures = Figures.of(file);
            holder.setAutoCommit(false);
            TxDb.update(holder, "UPDATE counter SET n = n + 1"); // holds the writer turn until commit
            assertThat(figures.getWriterWaits()).isZero();

            TxDb.Async<Integer> waiting = TxDb.async("waiting writer",
                    () -> TxDb.update(waiter, "UPDATE counter SET n = n + 10"));
            waiting.awaitWaitingForTheWriterTurn();
            assertThat(figures.getWriterWaits()).as("counted once the wait ends").isZero();
            holder.commit();
            assertThat(waiting.join()).isEqualTo(1);

            assertThat(figures.getWriterWaits()).isEqualTo(1);
            assertThat(figures.getWriterWaitMillisTotal()).isEqualTo(figures.getWriterWaitMillisMax());
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(11);
    }

    @Test
    void anAutoCommitStatementRetriedWhileAnotherProcessHoldsTheLockCountsItsRetries() throws Exception {
        String url = url(PATIENT);
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            DatabaseMXBean figures = Figures.of(file);
            TxDb.execute(holder, "BEGIN IMMEDIATE");
            TxDb.Async<Integer> update = TxDb.async("retried update",
                    () -> TxDb.update(connection, "UPDATE counter SET n = n + 1"));
            update.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");
            assertThat(update.join()).isEqualTo(1);

            assertThat(figures.getBusyRetries()).isPositive();
            assertThat(figures.getBusyRollbacks()).isZero();
        }
    }

    @Test
    void aTransactionRolledBackWith40001IsCounted() throws Exception {
        String url = url(PATIENT + "&transaction_mode=DEFERRED");
        try (Connection connection = DriverManager.getConnection(url); Connection otherProcess = TxDb.witness(file)) {
            DatabaseMXBean figures = Figures.of(file);
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            connection.setAutoCommit(false);
            TxDb.queryLong(connection, "SELECT n FROM counter"); // BEGIN DEFERRED, a read
            TxDb.update(otherProcess, "UPDATE counter SET n = n + 100"); // changes what was read
            assertThatThrownBy(() -> TxDb.update(connection, "UPDATE counter SET n = n + 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            connection.rollback();

            assertThat(figures.getBusyRollbacks()).isEqualTo(1);
            assertThat(figures.getTransactionReplays()).isZero();
        }
    }

    @Test
    void aUnitReplayedByInTransactionIsCountedOnce() throws Exception {
        String url = url("transaction_mode=DEFERRED");
        AtomicInteger invocations = new AtomicInteger();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url);
             Connection otherProcess = TxDb.witness(file)) {
            try (Connection connection = dataSource.getConnection()) {
                TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            }
            EnhancedSqlite.inTransaction(dataSource, connection -> {
                long n = TxDb.queryLong(connection, "SELECT n FROM counter");
                if (invocations.incrementAndGet() == 1) {
                    TxDb.update(otherProcess, "UPDATE counter SET n = n + 100"); // commits after our read
                }
                return TxDb.update(connection, "UPDATE counter SET n = " + (n + 1)); // busy snapshot the first time
            });
            DatabaseMXBean figures = Figures.of(file);
            assertThat(invocations.get()).isEqualTo(2);
            assertThat(figures.getTransactionReplays()).isEqualTo(1);
            assertThat(figures.getBusyRollbacks()).isEqualTo(1);
        }
    }
}
