package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue point 4: EnhancedSqlite.inTransaction runs the unit again when its transaction was rolled back with
 * 40001, and the result is applied exactly once. The first attempt is made busy by another "process" (a plain
 * sqlite-jdbc connection) inside the unit itself, so what happens is exact, not timing-dependent. The unit's first
 * statement is first learned as one that only reads, so the unit begins as a reader and meets the other process's
 * commit at its first write (a transaction beginning with a statement never seen begins as a writer, and IMMEDIATE
 * mode would make the busy error come at BEGIN, which is retried without a replay).
 */
class InTransactionReplayTest extends TxDatabaseTest {

    private String url(String query) throws SQLException {
        return database("replay.db", query, "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0)");
    }

    @Test
    void aUnitRolledBackBecauseAnotherProcessCommittedInBetweenIsReplayedOnAFreshConnection() throws Exception {
        String url = url("transaction_mode=DEFERRED");
        AtomicInteger invocations = new AtomicInteger();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url);
             Connection otherProcess = TxDb.witness(file)) {
            learnReadOnly(dataSource);
            long result = EnhancedSqlite.inTransaction(dataSource, connection -> {
                int invocation = invocations.incrementAndGet();
                long n = TxDb.queryLong(connection, "SELECT n FROM counter");
                if (invocation == 1) {
                    TxDb.update(otherProcess, "UPDATE counter SET n = n + 100"); // commits after our read
                }
                TxDb.update(connection, "UPDATE counter SET n = " + (n + 1)); // SQLITE_BUSY_SNAPSHOT the first time
                return n + 1;
            });

            assertThat(invocations.get()).isEqualTo(2);
            assertThat(result).isEqualTo(101);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(101);
    }

    @Test
    void aUnitMadeBusyByAnExternalLockHolderIsReplayedAndAppliedOnce() throws Exception {
        String url = url("transaction_mode=DEFERRED&busy_timeout=0&busyRetryBackoff=20&busyRetryAttempts=1000");
        AtomicInteger invocations = new AtomicInteger();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url);
             Connection holder = TxDb.witness(file)) {
            learnReadOnly(dataSource);
            TxDb.Async<Integer> unit = TxDb.async("unit", () -> EnhancedSqlite.inTransaction(dataSource, connection -> {
                int invocation = invocations.incrementAndGet();
                long n = TxDb.queryLong(connection, "SELECT n FROM counter");
                if (invocation == 1) {
                    TxDb.execute(holder, "BEGIN IMMEDIATE", "UPDATE counter SET n = n + 100");
                } else {
                    assertThat(n).as("the replay starts from a fresh snapshot").isEqualTo(100);
                }
                return TxDb.update(connection, "UPDATE counter SET n = " + (n + 1)); // SQLITE_BUSY the first time
            }));
            unit.awaitBackingOffAfterBusy(); // the first write waits for the other process's lock
            TxDb.execute(holder, "COMMIT"); // which changed what the unit read
            assertThat(unit.join()).isEqualTo(1);
            assertThat(invocations.get()).isEqualTo(2);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(101);
    }

    @Test
    void onAConnectionTheCallerHoldsTheUnitIsReplayedAndAutoCommitRestored() throws Exception {
        String url = url("transaction_mode=DEFERRED");
        AtomicInteger invocations = new AtomicInteger();
        try (Connection connection = DriverManager.getConnection(url); Connection otherProcess = TxDb.witness(file)) {
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            assertThat(connection.getAutoCommit()).isTrue();
            EnhancedSqlite.inTransaction(connection, c -> {
                assertThat(c).isSameAs(connection);
                long n = TxDb.queryLong(c, "SELECT n FROM counter");
                if (invocations.incrementAndGet() == 1) {
                    TxDb.update(otherProcess, "UPDATE counter SET n = n + 100");
                }
                return TxDb.update(c, "UPDATE counter SET n = " + (n + 1));
            });

            assertThat(invocations.get()).isEqualTo(2);
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(TxDb.writeLockIsFree(file)).isTrue();
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isEqualTo(101);
        }
    }

    @Test
    void anyOtherFailureIsNotReplayedAndRollsBack() throws Exception {
        String url = url("");
        AtomicInteger invocations = new AtomicInteger();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            assertThatThrownBy(() -> EnhancedSqlite.inTransaction(dataSource, connection -> {
                invocations.incrementAndGet();
                TxDb.update(connection, "UPDATE counter SET n = n + 1");
                return TxDb.update(connection, "INSERT INTO counter VALUES (1, 0)"); // primary key violation
            })).isInstanceOf(SQLException.class).hasMessageContaining("UNIQUE");
            assertThat(invocations.get()).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isZero();
        assertThat(TxDb.writeLockIsFree(file)).isTrue();
    }

    /**
     * Every attempt rolled back with 40001: the replay stops after its attempts and the last 40001 reaches the caller.
     * (The driver learns after one conflict to begin such a unit as a writer, so here the unit raises the 40001.)
     */
    @Test
    void aUnitThatIsAlwaysRolledBackGivesUpWith40001() throws Exception {
        String url = url("transaction_mode=DEFERRED");
        AtomicInteger invocations = new AtomicInteger();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            assertThatThrownBy(() -> EnhancedSqlite.inTransaction(dataSource, connection -> {
                invocations.incrementAndGet();
                TxDb.update(connection, "UPDATE counter SET n = n + 1");
                throw new java.sql.SQLTransactionRollbackException("serialization failure", "40001");
            })).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            assertThat(invocations.get()).isEqualTo(io.github.enhancedsqlite.tx.Replay.MAX_ATTEMPTS);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).as("every attempt rolled back").isZero();
    }

    private static void learnReadOnly(EnhancedSqliteDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
        }
    }
}
