package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Issue point 1: setAutoCommit(false) begins nothing; the first statement begins IMMEDIATE on a connection that
 * may write, DEFERRED on a read-only one; transaction_mode chooses; a closed connection never keeps the lock.
 * Every claim about locks is checked by an independent plain sqlite-jdbc connection that does not wait.
 */
class LazyBeginTest extends TxDatabaseTest {

    private String url(String query) throws SQLException {
        return database("lazy.db", query, "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0)",
                "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
    }

    @Test
    void setAutoCommitFalseBeginsNoTransaction() throws Exception {
        String url = url("maximumPoolSize=2&writerTimeout=300");
        try (Connection connection = DriverManager.getConnection(url);
             Connection other = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);

            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(TxDb.writeLockIsFree(file)).as("SQLite write lock after setAutoCommit(false)").isTrue();
            // nor is the Java writer turn taken: another connection writes at once (writerTimeout is 300 ms)
            assertThat(TxDb.update(other, "INSERT INTO t(v) VALUES ('other')")).isEqualTo(1);

            // the first statement begins, and sees what was committed before it, not at setAutoCommit time
            assertThat(TxDb.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(1);
            connection.commit();
        }
    }

    @Test
    void theFirstStatementOfAConnectionThatMayWriteBeginsImmediate() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isZero(); // only a read

            assertThat(TxDb.writeLockIsFree(file)).as("write lock after the first read of a writable transaction")
                    .isFalse();
            connection.commit();
            assertThat(TxDb.writeLockIsFree(file)).as("write lock after commit").isTrue();
        }
    }

    /** The reason for IMMEDIATE: nobody can commit between our read and our write, so no SQLITE_BUSY_SNAPSHOT. */
    @Test
    void aReadThenWriteTransactionCannotBeOvertakenByAnotherWriter() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection witness = TxDb.witness(file)) {
            connection.setAutoCommit(false);
            long read = TxDb.queryLong(connection, "SELECT n FROM counter");

            assertThatThrownBy(() -> TxDb.update(witness, "UPDATE counter SET n = n + 100"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode() & 0xFF).isEqualTo(5));

            TxDb.update(connection, "UPDATE counter SET n = " + (read + 1));
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(1);
    }

    @Test
    void aReadOnlyConnectionBeginsDeferredAndSetReadOnlyWorksOnALivePooledConnection() throws Exception {
        String url = url("maximumPoolSize=1");
        try (Connection connection = DriverManager.getConnection(url); Connection witness = TxDb.witness(file)) {
            connection.setReadOnly(true);
            assertThat(connection.isReadOnly()).isTrue();
            connection.setAutoCommit(false);
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isZero();

            // DEFERRED: no write lock taken, another writer commits freely...
            assertThat(TxDb.writeLockIsFree(file)).isTrue();
            assertThat(TxDb.update(witness, "UPDATE counter SET n = 7")).isEqualTo(1);
            // ...and it is a real transaction: the read snapshot taken by the first statement stays
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isZero();
            // read-only means it: a write fails
            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO t(v) VALUES ('ro')"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connection.setReadOnly(false))
                    .as("read-only cannot change in the middle of a transaction").isInstanceOf(SQLException.class);
            connection.commit();
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isEqualTo(7);
            connection.commit();

            connection.setReadOnly(false);
            assertThat(connection.isReadOnly()).isFalse();
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('rw')");
            connection.commit();
            connection.setReadOnly(true); // left read-only: close must reset it for the next borrower
        }
        try (Connection next = DriverManager.getConnection(url)) { // the only pooled connection, lent again
            assertThat(next.isReadOnly()).isFalse();
            assertThat(TxDb.update(next, "INSERT INTO t(v) VALUES ('next')")).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v ORDER BY id) FROM t")).isEqualTo("rw,next");
    }

    @Test
    void transactionModeDeferredBeginsWithoutTheWriteLock() throws Exception {
        String url = url("transaction_mode=DEFERRED");
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            connection.setAutoCommit(false);
            TxDb.queryLong(connection, "SELECT n FROM counter");
            assertThat(TxDb.writeLockIsFree(file)).isTrue();
            TxDb.update(connection, "UPDATE counter SET n = n + 1");
            assertThat(TxDb.writeLockIsFree(file)).as("the first write takes it").isFalse();
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(1);
    }

    /**
     * In rollback-journal mode EXCLUSIVE differs visibly from IMMEDIATE: it keeps readers out too (in WAL mode
     * the two are the same).
     */
    @Test
    void transactionModeExclusiveKeepsEvenReadersOut() throws Exception {
        String url = url("transaction_mode=EXCLUSIVE&journal_mode=delete");
        try (Connection connection = DriverManager.getConnection(url); Connection witness = TxDb.witness(file)) {
            connection.setAutoCommit(false);
            TxDb.queryLong(connection, "SELECT n FROM counter");
            assertThatThrownBy(() -> TxDb.queryLong(witness, "SELECT n FROM counter"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode() & 0xFF).isEqualTo(5));
            connection.commit();
            assertThat(TxDb.queryLong(witness, "SELECT n FROM counter")).isZero();
        }
    }

    @Test
    void transactionModeImmediateInRollbackJournalModeLetsReadersIn() throws Exception {
        String url = url("transaction_mode=IMMEDIATE&journal_mode=delete");
        try (Connection connection = DriverManager.getConnection(url); Connection witness = TxDb.witness(file)) {
            connection.setAutoCommit(false);
            TxDb.queryLong(connection, "SELECT n FROM counter");
            assertThat(TxDb.queryLong(witness, "SELECT n FROM counter")).isZero();
            assertThat(TxDb.writeLockIsFree(file)).isFalse();
            connection.commit();
        }
    }

    @Test
    void closingAConnectionInTheMiddleOfATransactionGivesBackTheLockAndDiscardsTheWork() throws Exception {
        String url = url("maximumPoolSize=1");
        Connection connection = DriverManager.getConnection(url);
        connection.setAutoCommit(false);
        TxDb.update(connection, "INSERT INTO t(v) VALUES ('abandoned')");
        assertThat(TxDb.writeLockIsFree(file)).isFalse();

        connection.close();

        assertThat(TxDb.writeLockIsFree(file)).as("write lock after close mid-transaction").isTrue();
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isZero();
        try (Connection next = DriverManager.getConnection(url)) { // the same physical connection, lent again
            assertThat(next.getAutoCommit()).isTrue();
            assertThat(TxDb.update(next, "INSERT INTO t(v) VALUES ('next')")).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(1);
    }

    @Test
    void closingAfterTheApplicationsOwnBeginGivesBackTheLock() throws Exception {
        String url = url("maximumPoolSize=1");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.executeUpdate("INSERT INTO t(v) VALUES ('abandoned')");
            assertThat(TxDb.writeLockIsFree(file)).isFalse();
        }
        assertThat(TxDb.writeLockIsFree(file)).isTrue();
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isZero();
    }

    @Test
    void closingAfterASavepointGivesBackTheLock() throws Exception {
        String url = url("maximumPoolSize=1");
        try (Connection connection = DriverManager.getConnection(url)) {
            Savepoint savepoint = connection.setSavepoint();
            assertThat(savepoint).isNotNull();
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('abandoned')");
            assertThat(TxDb.writeLockIsFree(file)).isFalse();
        }
        assertThat(TxDb.writeLockIsFree(file)).isTrue();
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isZero();
    }
}
