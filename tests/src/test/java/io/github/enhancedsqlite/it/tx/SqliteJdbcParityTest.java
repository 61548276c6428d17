package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.DatabaseMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, points 1, 2, 3, 6, 7 and 15: behaviours of sqlite-jdbc that its own test suite showed the driver did not
 * have, each reproduced the way an application meets it.
 */
class SqliteJdbcParityTest extends TxDatabaseTest {

    private String url(String query) throws SQLException {
        return database("parity.db", query, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
    }

    /** Point 1: sqlite-jdbc commits when the savepoint that began the transaction in auto-commit mode is released. */
    @Test
    void releasingTheOutermostSavepointSetInAutoCommitModeCommits() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            Savepoint outer = connection.setSavepoint("outer");
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('outer')");
            Savepoint inner = connection.setSavepoint("inner");
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('inner')");

            connection.releaseSavepoint(inner);
            assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).as("an inner release commits nothing").isZero();

            connection.releaseSavepoint(outer);
            assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(connection.getAutoCommit()).as("back in the mode the savepoint was set in").isTrue();
            assertThat(TxDb.writeLockIsFree(file)).as("the writer turn and SQLite's lock are given back").isTrue();

            TxDb.update(connection, "INSERT INTO t(v) VALUES ('after')");
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).as("nothing rolled back at close").isEqualTo(3);
    }

    /** Point 1, the other half: a savepoint set inside a transaction the application began does not commit it. */
    @Test
    void releasingASavepointInsideAManualTransactionLeavesItOpen() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('first')");
            Savepoint savepoint = connection.setSavepoint();
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('second')");
            connection.releaseSavepoint(savepoint);
            assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isZero();
            assertThat(connection.getAutoCommit()).isFalse();
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(2);
    }

    /**
     * An unnamed savepoint whose transaction ended is gone: rolling back to it fails, as on sqlite-jdbc. The driver
     * named it {@code SP1}, which SQLite, comparing names without case, found in the application's own {@code sp1},
     * and rolled back the work done since that one instead.
     */
    @Test
    void rollingBackToAnUnnamedSavepointThatEndedFailsRatherThanReachingANamedOne() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            Savepoint ended = connection.setSavepoint();
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('first')");
            connection.commit();
            connection.setSavepoint("sp" + ended.getSavepointId());
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('second')");

            assertThatThrownBy(() -> connection.rollback(ended)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such savepoint");
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).as("'second' kept").isEqualTo(2);
    }

    /**
     * Point 2: JDBC lets two threads use one connection; sqlite-jdbc serializes their calls. The second writer used to
     * wait for the writer turn while holding the monitor the first needed to give the turn back, and failed after
     * writerTimeout.
     */
    @Test
    void twoThreadsWritingThroughOneConnectionNeitherStallNorFail() throws Exception {
        String url = url("writerTimeout=2000");
        int perThread = 300;
        try (Connection connection = DriverManager.getConnection(url)) {
            CountDownLatch start = new CountDownLatch(1);
            TxDb.Async<Integer> first = TxDb.async("writer-1", () -> insertMany(connection, start, "a", perThread));
            TxDb.Async<Integer> second = TxDb.async("writer-2", () -> insertMany(connection, start, "b", perThread));
            start.countDown();
            assertThat(first.join()).isEqualTo(perThread);
            assertThat(second.join()).isEqualTo(perThread);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(2L * perThread);
    }

    /**
     * Point 2, the statements' side (sqlite-jdbc's UDFTest#multipleThreads: a thousand threads each creating,
     * running and closing a statement on one connection). The lease's list of open statements was an unguarded
     * array list: entries got lost or nulled, closing the connection then failed with a NullPointerException, or
     * left statements open.
     */
    @Test
    void statementsMadeAndClosedByManyThreadsOnOneConnectionAreAllClosedWithIt() throws Exception {
        String url = url("");
        int threads = 8;
        int perThread = 3000;
        java.util.List<Statement> kept = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Connection connection = DriverManager.getConnection(url);
        try {
            CountDownLatch start = new CountDownLatch(1);
            java.util.List<TxDb.Async<Integer>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(TxDb.async("statements-" + t, () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Statement statement = connection.createStatement();
                        if (i % 10 == 0) {
                            kept.add(statement); // left open: closing the connection must close it
                        } else {
                            statement.close();
                        }
                    }
                    return perThread;
                }));
            }
            start.countDown();
            for (TxDb.Async<Integer> worker : workers) {
                assertThat(worker.join()).isEqualTo(perThread);
            }
        } finally {
            connection.close();
        }
        assertThat(kept).hasSize(threads * perThread / 10);
        assertThat(kept).as("statements left open are closed with their connection").allSatisfy(
                statement -> assertThat(statement.isClosed()).isTrue());
    }

    /**
     * The execute overloads that take column indexes or names are refused by sqlite-jdbc whatever the array, null
     * too; they reach it as the overload the application called (a null array once ran the SQL instead).
     */
    @Test
    void theColumnKeyOverloadsAreRefusedAsBySqliteJdbcEvenWithANullArray() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            String insert = "INSERT INTO t(v) VALUES ('x')";
            assertThatThrownBy(() -> statement.execute(insert, (int[]) null)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.execute(insert, (String[]) null)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeUpdate(insert, (int[]) null)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeUpdate(insert, (String[]) null))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeLargeUpdate(insert, (int[]) null))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeLargeUpdate(insert, (String[]) null))
                    .isInstanceOf(SQLException.class);
            assertThat(statement.executeUpdate(insert, Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).as("only the supported overload wrote").isEqualTo(1);
    }

    private static int insertMany(Connection connection, CountDownLatch start, String value, int count)
            throws Exception {
        start.await();
        int inserted = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            for (int i = 0; i < count; i++) { // each thread its own statement; the connection is shared
                insert.setString(1, value + i);
                inserted += insert.executeUpdate();
            }
        }
        return inserted;
    }

    /** Point 3: a statement served from the statement cache describes its columns before it runs, as a fresh one. */
    @Test
    void aCachedPreparedStatementDescribesItsColumnsBeforeItRuns() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement first = connection.prepareStatement("SELECT id, v FROM t")) {
                first.executeQuery().close();
            }
            try (PreparedStatement cached = connection.prepareStatement("SELECT id, v FROM t")) {
                ResultSetMetaData meta = cached.getMetaData();
                assertThat(meta.getColumnCount()).isEqualTo(2);
                assertThat(meta.getColumnName(2)).isEqualTo("v");
            }
        }
    }

    /**
     * Point 6: SQLITE_LOCKED caused by the connection's own open cursor cannot clear by waiting: it fails at once,
     * saying why, and is not retried.
     */
    @Test
    void droppingATableUnderTheConnectionsOwnOpenCursorFailsAtOnceWithoutRetrying() throws Exception {
        String url = url("busyRetryAttempts=1000&busyRetryMaxWait=60000");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO t(v) VALUES ('x'), ('y')");
            try (Statement reader = connection.createStatement(); ResultSet open = reader.executeQuery("SELECT * FROM t")) {
                assertThat(open.next()).isTrue();
                assertThatThrownBy(() -> statement.executeUpdate("DROP TABLE t"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("same connection")
                        .hasMessageContaining("ResultSet")
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode() & 0xFF).isEqualTo(6));
            }
            assertThat(connection.unwrap(DatabaseMXBean.class).getBusyRetries()).as("nothing was retried").isZero();
            statement.executeUpdate("DROP TABLE t"); // once the cursor is closed, the same statement works
        }
    }

    /**
     * Point 7: sqlite-jdbc hands one result set object to every execution of a statement, so a result set the
     * application kept reads the rows of the statement's next execution.
     */
    @Test
    void aResultSetKeptAcrossReExecutionReadsTheNewRowsAsOnSqliteJdbc() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement select = connection.prepareStatement("SELECT ?")) {
            select.setInt(1, 1);
            ResultSet kept = select.executeQuery();
            assertThat(kept.next()).isTrue();
            assertThat(kept.getInt(1)).isEqualTo(1);

            select.setString(1, "two");
            ResultSet again = select.executeQuery();
            assertThat(again).isSameAs(kept);
            assertThat(kept.next()).isTrue();
            assertThat(kept.getString(1)).isEqualTo("two");
            assertThat(kept.getStatement()).isSameAs(select);
        }
    }

    /**
     * Point 15: a writer that times out behind a holder that is itself retrying against another process's lock is
     * told so, instead of being told that a transaction stays open too long.
     */
    @Test
    void aWriterTimingOutBehindAHolderThatRetriesIsToldWhatTheHolderIsDoing() throws Exception {
        String url = url("busy_timeout=0&busyRetryAttempts=1000&busyRetryBackoff=20&busyRetryMaxWait=60000"
                + "&writerTimeout=300");
        try (Connection holding = DriverManager.getConnection(url); Connection waiting = DriverManager.getConnection(url);
             Connection otherProcess = TxDb.witness(file)) {
            TxDb.execute(otherProcess, "BEGIN IMMEDIATE");
            TxDb.Async<Integer> retrying = TxDb.async("retrying writer",
                    () -> TxDb.update(holding, "INSERT INTO t(v) VALUES ('retried')"));
            retrying.awaitBackingOffAfterBusy();

            assertThatThrownBy(() -> TxDb.update(waiting, "INSERT INTO t(v) VALUES ('late')"))
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("retrying writer")
                    .hasMessageContaining("retrying against a lock held by another connection or process")
                    .hasMessageNotContaining("staying open too long");

            TxDb.execute(otherProcess, "COMMIT");
            assertThat(retrying.join()).isEqualTo(1);
        }
    }

    /**
     * Point 2, the JVM-wide part: the sweep that expires transactions must not wait behind one connection busy in
     * its COMMIT's retries. In rollback-journal mode a COMMIT needs every reader gone; a plain reader holds it back,
     * and another database's transaction must still be expired on time.
     */
    @Test
    void aCommitRetryingAgainstAReaderDoesNotHoldUpOtherTransactionsTimeouts() throws Exception {
        String slowUrl = database("slow-commit.db",
                "journal_mode=DELETE&busy_timeout=0&busyRetryAttempts=1000&busyRetryBackoff=20"
                        + "&busyRetryMaxWait=60000&transactionTimeout=100",
                "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
        java.nio.file.Path slowFile = file;
        String expiringUrl = database("expiring.db", "transactionTimeout=300",
                "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
        AtomicBoolean commitReturned = new AtomicBoolean();
        try (Connection slow = DriverManager.getConnection(slowUrl);
             Connection expiring = DriverManager.getConnection(expiringUrl);
             Connection reader = DriverManager.getConnection("jdbc:sqlite:" + slowFile.toAbsolutePath())) {
            reader.setAutoCommit(false);
            TxDb.queryLong(reader, "SELECT count(*) FROM t"); // holds a SHARED lock until its transaction ends

            slow.setAutoCommit(false);
            TxDb.update(slow, "INSERT INTO t(v) VALUES ('slow')");
            TxDb.Async<Void> committing = TxDb.async("committing", () -> {
                try {
                    slow.commit();
                } catch (SQLException e) {
                    // expired or not, what matters is when it returned
                } finally {
                    commitReturned.set(true);
                }
                return null;
            });
            committing.awaitBackingOffAfterBusy();

            expiring.setAutoCommit(false);
            TxDb.update(expiring, "INSERT INTO t(v) VALUES ('expiring')");
            awaitWriteLockFree(file);
            assertThat(commitReturned).as("the other transaction expired while the COMMIT still retried").isFalse();

            reader.rollback();
            committing.join();
            assertThatThrownBy(() -> TxDb.update(expiring, "INSERT INTO t(v) VALUES ('more')"))
                    .hasMessageContaining("transactionTimeout");
            expiring.rollback();
        }
    }

    /** Polls, with the hang guard, until no connection holds the write lock of {@code database}. */
    private static void awaitWriteLockFree(java.nio.file.Path database) throws Exception {
        long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(TxDb.HANG_GUARD_SECONDS);
        while (!TxDb.writeLockIsFree(database)) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the expired transaction never gave its write lock back");
            }
            Thread.onSpinWait();
        }
    }
}
