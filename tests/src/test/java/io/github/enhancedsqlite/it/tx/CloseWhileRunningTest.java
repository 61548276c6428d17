package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * {@code Connection.close()} from another thread while a statement of the connection runs (a watchdog, a shutdown
 * path, a framework's cleanup). sqlite-jdbc runs one call of a connection at a time, so there close waits for the
 * running statement, which completes, and then closes. Ending the lease under the running statement gave its writer
 * turn and its connection back while it wrote: the write, reported done, was rolled back, and the turn stayed with
 * the writing thread, so every other writer of the file waited its whole writerTimeout.
 */
class CloseWhileRunningTest extends TxDatabaseTest {

    private final SqlGate gate = new SqlGate();

    private String url() throws SQLException {
        return database("close.db", "writerTimeout=5000", "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v)",
                "INSERT INTO t(v) VALUES ('seed')");
    }

    /** Once a statement is held at the gate, closes the connection on another thread and returns when that waits. */
    private TxDb.Async<Void> closeWhileTheGateHolds(Connection connection) throws InterruptedException {
        gate.awaitRunning();
        TxDb.Async<Void> close = TxDb.async("closer", () -> {
            connection.close();
            return null;
        });
        close.awaitBlocked();
        return close;
    }

    /** A writer of the file finds neither the writer turn nor SQLite's lock held (writerTimeout is 5 s here). */
    private static void assertTheNextLeaseWrites(String url) throws SQLException {
        try (Connection next = DriverManager.getConnection(url)) {
            assertThat(TxDb.update(next, "INSERT INTO t(v) VALUES ('next')")).isEqualTo(1);
        }
    }

    @Test
    void anAutoCommitWriteThatACloseMeetsCompletesAndStaysCommitted() throws Exception {
        String url = url();
        Connection connection = DriverManager.getConnection(url);
        gate.registerOn(connection);
        Statement statement = connection.createStatement();
        TxDb.Async<Integer> write = TxDb.async("writer", () -> statement.executeUpdate(
                "INSERT INTO t(v) VALUES (gate(1))"));
        TxDb.Async<Void> close = closeWhileTheGateHolds(connection);
        gate.release();

        assertThat(write.join()).isEqualTo(1);
        close.join();
        assertThat(connection.isClosed()).isTrue();
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v = 1")).isEqualTo(1);
        assertThat(TxDb.writeLockIsFree(file)).isTrue();
        assertTheNextLeaseWrites(url);
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(3);
    }

    /** JDBC's way to stop what a close waits for: the statement is interrupted, and the close then ends the lease. */
    @Test
    void anAbortWhileACloseWaitsStopsTheStatementAndTheCloseEndsTheLease() throws Exception {
        String url = url();
        Connection connection = DriverManager.getConnection(url);
        gate.registerOn(connection);
        Statement statement = connection.createStatement();
        TxDb.Async<Long> count = TxDb.async("reader", () -> TxDb.queryLong(connection, "WITH RECURSIVE x(i) AS"
                + " (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < 1000000) SELECT count(gate(i)) FROM x"));
        TxDb.Async<Void> close = closeWhileTheGateHolds(connection);
        connection.abort(Runnable::run);
        gate.release();

        Throwable failure = count.failure();
        assertThat(failure).isInstanceOf(SQLException.class);
        // the interrupt stops the next row; the gate's own call after the abort finds the connection aborted
        assertThat(failure.getMessage()).containsAnyOf("interrupt", "aborted");
        close.join();
        assertThatThrownBy(() -> statement.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(connection.isClosed()).isTrue();
        assertTheNextLeaseWrites(url);
    }

    /**
     * A statement still waiting for the writer turn has not begun in SQLite: the close stops its wait instead of
     * waiting for it, and it fails as closed with nothing applied. Waiting for it chained the closing thread to
     * whoever held the turn: a pool closing abandoned connections (Tomcat's, DBCP's) stalled behind a worker
     * waiting for the turn of the very connection it was about to close, until writerTimeout.
     */
    @Test
    void aCloseStopsAStatementWaitingForTheWriterTurnInsteadOfWaitingForIt() throws Exception {
        String url = database("close.db", "writerTimeout=5000&maximumPoolSize=2",
                "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v)", "INSERT INTO t(v) VALUES ('seed')");
        try (Connection holder = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            TxDb.update(holder, "INSERT INTO t(v) VALUES ('holder')"); // holds the writer turn
            Connection connection = DriverManager.getConnection(url);
            TxDb.Async<Integer> write = TxDb.async("writer", () -> TxDb.update(connection,
                    "INSERT INTO t(v) VALUES ('waited')"));
            write.awaitWaitingForTheWriterTurn();

            TxDb.async("closer", () -> {
                connection.close();
                return null;
            }).join(); // returns while the holder still holds the turn
            assertStoppedAsClosed(write.failure(), "writer turn");
            holder.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM t")).isEqualTo("seed,holder");
        assertBothConnectionsWaitForTheTurnAgain(url);
    }

    /** The pool's two connections, the one whose lease was stopped among them, wait for the turn as before. */
    private void assertBothConnectionsWaitForTheTurnAgain(String url) throws Exception {
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            TxDb.update(first, "INSERT INTO t(v) VALUES ('first')");
            TxDb.Async<Integer> waiting = TxDb.async("second", () -> TxDb.update(second,
                    "INSERT INTO t(v) VALUES ('second')"));
            waiting.awaitWaitingForTheWriterTurn();
            first.commit();
            assertThat(waiting.join()).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM t")).isEqualTo("seed,holder,first,second");
    }

    /** The same for a statement backing off between attempts against another process's write lock. */
    @Test
    void aCloseStopsAStatementRetryingAgainstAnotherProcessLock() throws Exception {
        String url = database("close.db", "writerTimeout=5000&busy_timeout=0&busyRetryAttempts=1000"
                + "&busyRetryBackoff=20&busyRetryMaxWait=20000", "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v)",
                "INSERT INTO t(v) VALUES ('seed')");
        Connection connection = DriverManager.getConnection(url);
        try (Connection otherProcess = TxDb.witness(file)) {
            TxDb.execute(otherProcess, "BEGIN IMMEDIATE");
            TxDb.Async<Integer> write = TxDb.async("writer", () -> TxDb.update(connection,
                    "INSERT INTO t(v) VALUES ('retried')"));
            write.awaitBackingOffAfterBusy();

            TxDb.async("closer", () -> {
                connection.close();
                return null;
            }).join(); // returns while the other process still holds its lock
            assertStoppedAsClosed(write.failure(), "retrying");
            TxDb.execute(otherProcess, "ROLLBACK");
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM t")).isEqualTo("seed");
        assertTheNextLeaseWrites(url);
    }

    /** {@code abort()} stops the wait for the writer turn too, and leaves the turn with nobody. */
    @Test
    void anAbortStopsAStatementWaitingForTheWriterTurn() throws Exception {
        String url = url();
        try (Connection holder = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            TxDb.update(holder, "INSERT INTO t(v) VALUES ('holder')");
            Connection connection = DriverManager.getConnection(url);
            TxDb.Async<Integer> write = TxDb.async("writer", () -> TxDb.update(connection,
                    "INSERT INTO t(v) VALUES ('waited')"));
            write.awaitWaitingForTheWriterTurn();

            connection.abort(Runnable::run);
            Throwable failure = write.failure(); // before the holder ends its transaction
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(failure.getMessage()).contains("abort");
            holder.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM t")).isEqualTo("seed,holder");
        assertTheNextLeaseWrites(url);
    }

    private static void assertStoppedAsClosed(Throwable failure, String waitingFor) {
        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(((SQLException) failure).getSQLState()).isEqualTo("08003");
        assertThat(failure.getMessage()).contains("closed", waitingFor, "nothing was applied");
    }

    /** The close rolls the open transaction back once the statement ended, and the commit after it fails. */
    @Test
    void aTransactionThatACloseMeetsIsRolledBackAndItsCommitFails() throws Exception {
        String url = url();
        Connection connection = DriverManager.getConnection(url);
        gate.registerOn(connection);
        connection.setAutoCommit(false);
        PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (gate(?))");
        insert.setInt(1, 1);
        TxDb.Async<Integer> write = TxDb.async("writer", insert::executeUpdate);
        TxDb.Async<Void> close = closeWhileTheGateHolds(connection);
        gate.release();

        assertThat(write.join()).isEqualTo(1);
        close.join();
        assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(1);
        assertThat(TxDb.writeLockIsFree(file)).isTrue();
        assertTheNextLeaseWrites(url);
    }
}
