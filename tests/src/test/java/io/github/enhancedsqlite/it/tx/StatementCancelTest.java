package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.Function;
import org.sqlite.SQLiteErrorCode;

/**
 * {@code Statement.cancel()} and the query timeout stop what they are meant to stop and nothing else. SQLite keeps
 * an interrupt that found nothing to stop pending while any statement of the connection that ran is not finalized
 * (sqlite-jdbc keeps the generated-keys query of a prepared INSERT running, and the statement cache keeps that
 * statement), so on a pooled connection such an interrupt failed a later statement: the lease's own next one, or
 * the next borrower's.
 */
class StatementCancelTest extends TxDatabaseTest {

    /** Counts to a million through {@code gate(i)}, which holds the first row until the test lets it go. */
    private static final String GATED_COUNT = "WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x"
            + " WHERE i < 1000000) SELECT count(gate(i)) FROM x";
    private static final int SQLITE_INTERRUPT = SQLiteErrorCode.SQLITE_INTERRUPT.code;

    private final SqlGate gate = new SqlGate();

    private String url(String query) throws SQLException {
        return database("cancel.db", query, "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t(v) VALUES ('seed')");
    }

    /** A prepared INSERT, closed: the cache keeps it, and sqlite-jdbc its generated-keys query, running. */
    private static void insertThroughAPreparedStatement(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            insert.setString(1, "prepared");
            insert.executeUpdate();
        }
    }

    /** The pool has one connection: the next lease is lent the one the test's lease ended on. */
    private static void assertTheNextLeaseReadsAndWrites(String url) throws SQLException {
        try (Connection next = DriverManager.getConnection(url)) {
            assertThat(TxDb.queryLong(next, "SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(TxDb.update(next, "INSERT INTO t(v) VALUES ('next lease')")).isEqualTo(1);
        }
    }

    @Test
    void aCancelWithNothingRunningDoesNotFailTheLeasesNextStatement() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            insertThroughAPreparedStatement(connection);
            try (Statement idle = connection.createStatement()) {
                idle.cancel();
                assertThat(TxDb.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(2);
                try (ResultSet rows = idle.executeQuery("SELECT count(*) FROM t")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(2);
                }
            }
            assertThat(TxDb.update(connection, "INSERT INTO t(v) VALUES ('after')")).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(3);
    }

    /** The pool has one connection, so the second lease is lent the connection the first one cancelled on. */
    @Test
    void aCancelAfterTheStatementEndedDoesNotReachTheNextBorrower() throws Exception {
        String url = url("maximumPoolSize=1");
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            insert.setString(1, "prepared");
            insert.executeUpdate();
            insert.cancel(); // a timer of the application's that came too late
        }
        assertTheNextLeaseReadsAndWrites(url);
    }

    /**
     * A statement of a lease that ended may still be cancelled by a stale reference (a watchdog of the
     * application's): sqlite-jdbc's cancel interrupts whatever its connection runs, which by then is another lease's
     * statement.
     */
    @Test
    void aCancelOfAStatementOfAnEndedLeaseDoesNotStopTheNextLeasesStatement() throws Exception {
        String url = url("maximumPoolSize=1");
        Statement stale;
        try (Connection connection = DriverManager.getConnection(url)) {
            stale = connection.createStatement();
            stale.executeQuery("SELECT count(*) FROM t").close();
            stale.close();
        }
        try (Connection next = DriverManager.getConnection(url)) {
            gate.registerOn(next);
            TxDb.Async<Long> count = TxDb.async("gated count", () -> TxDb.queryLong(next, GATED_COUNT));
            gate.awaitRunning();
            stale.cancel();
            gate.release();
            assertThat(count.join()).isEqualTo(1_000_000L);
        }
    }

    @Test
    void aCancelFromAnotherThreadStopsTheRunningStatementAndTheConnectionGoesOn() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            insertThroughAPreparedStatement(connection);
            gate.registerOn(connection);
            TxDb.Async<Long> count = TxDb.async("gated count", () -> {
                try (ResultSet rows = statement.executeQuery(GATED_COUNT)) {
                    rows.next();
                    return rows.getLong(1);
                }
            });
            gate.awaitRunning();
            statement.cancel();
            gate.release();
            Throwable failure = count.failure();
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getErrorCode()).isEqualTo(SQLITE_INTERRUPT);

            assertThat(TxDb.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(2);
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(2);
            }
        }
    }

    /**
     * JDBC lets threads share a connection (sqlite-jdbc runs one call at a time): the second thread's execution
     * begins while the first one's runs, and ends after it. Once both ended, a cancel of the first statement finds
     * nothing of its own running.
     */
    @Test
    void withTwoThreadsOnOneConnectionACancelReachesOnlyItsOwnStatement() throws Exception {
        String url = url("");
        try (Connection shared = DriverManager.getConnection(url);
             Statement first = shared.createStatement();
             PreparedStatement second = shared.prepareStatement("SELECT count(*) FROM t")) {
            insertThroughAPreparedStatement(shared);
            gate.registerOn(shared);
            TxDb.Async<Long> gated = TxDb.async("first", () -> {
                try (ResultSet rows = first.executeQuery(GATED_COUNT)) {
                    rows.next();
                    return rows.getLong(1);
                }
            });
            gate.awaitRunning();
            TxDb.Async<Long> queued = TxDb.async("second", () -> {
                try (ResultSet rows = second.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            });
            queued.awaitBlocked(); // inside its execution, for the connection the first thread holds
            gate.release();
            assertThat(gated.join()).isEqualTo(1_000_000L);
            assertThat(queued.join()).isEqualTo(2L);

            first.cancel();
            assertThat(TxDb.queryLong(shared, "SELECT count(*) FROM t")).isEqualTo(2);
        }
    }


    /** As on sqlite-jdbc: the result set stops at its next row, and the connection goes on. */
    @Test
    void aCancelWithAResultSetOpenStopsItsNextRowAsOnSqliteJdbc() throws Exception {
        String url = url("");
        for (String prefix : new String[] {"jdbc:sqlite:", "jdbc:enhanced-sqlite:"}) {
            try (Connection connection = DriverManager.getConnection(prefix + file);
                 Statement statement = connection.createStatement()) {
                ResultSet rows = statement.executeQuery(
                        "WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < 10) SELECT i FROM x");
                assertThat(rows.next()).isTrue();
                statement.cancel();
                assertThatThrownBy(rows::next).as(prefix).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(SQLITE_INTERRUPT));
                rows.close();
            }
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(TxDb.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(1);
        }
    }

    /** A result set cancelled and closed without stepping again: the interrupt is still pending when the lease ends. */
    @Test
    void aLeaseEndingWithACancelledResultSetDoesNotPassTheInterruptOn() throws Exception {
        String url = url("maximumPoolSize=1");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            insertThroughAPreparedStatement(connection);
            try (ResultSet rows = statement.executeQuery("SELECT v FROM t ORDER BY id")) {
                assertThat(rows.next()).isTrue();
                statement.cancel();
            }
        }
        assertTheNextLeaseReadsAndWrites(url);
    }

    /**
     * The query timeout fires while the statement is in a function that takes past the deadline and then returns its
     * row without SQLite looking at the interrupt again: the statement succeeds, and the interrupt must not stay
     * pending for the next one. The function waits until well after the one-second deadline, so the timer has fired
     * unless the machine held its thread back by more than the margin (then the test shows nothing, never fails).
     */
    @Test
    void aQueryTimeoutThatFiresAsTheStatementEndsDoesNotFailTheNextStatement() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            insertThroughAPreparedStatement(connection);
            Function.create(connection, "past_deadline", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    result(1);
                }
            });
            statement.setQueryTimeout(1);
            try (ResultSet rows = statement.executeQuery("SELECT past_deadline()")) {
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            statement.setQueryTimeout(0);
            assertThat(TxDb.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(2);
            assertThat(TxDb.update(connection, "INSERT INTO t(v) VALUES ('after')")).isEqualTo(1);
        }
    }
}
