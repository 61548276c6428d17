package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConnection;

/**
 * A thread that holds a connection asks for a second one (Spring's REQUIRES_NEW, a DAO that opens its own connection
 * within its caller's transaction). Plain sqlite-jdbc opens one for every getConnection. The pool had lent all of its
 * connections to borrowers waiting for this very thread — for the writer turn its transaction held, or for a second
 * connection as it did — so the request waited {@code connectionTimeout} and failed, a deadlock only the timeout ended.
 */
class NestedConnectionTest extends TxDatabaseTest {

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v)";

    @Test
    void aThreadHoldingTheWriterTurnGetsAnotherConnectionWhileTheOthersWaitForItsTurn() throws Exception {
        // a long timeout: before the fix, the nested getConnection below waited all of it and then failed
        String url = database("nested.db", "maximumPoolSize=2&connectionTimeout=20000", SCHEMA,
                "INSERT INTO t(v) VALUES ('seed')");
        try (Connection outer = DriverManager.getConnection(url)) {
            outer.setAutoCommit(false);
            TxDb.update(outer, "INSERT INTO t(v) VALUES ('outer')"); // takes the writer turn
            TxDb.Async<Integer> other = TxDb.async("other writer", () -> {
                try (Connection connection = DriverManager.getConnection(url)) { // the pool's second connection
                    return TxDb.update(connection, "INSERT INTO t(v) VALUES ('other')");
                }
            });
            other.awaitWaitingForTheWriterTurn();

            SQLiteConnection nestedsOwn;
            try (Connection nested = DriverManager.getConnection(url)) {
                nestedsOwn = nested.unwrap(SQLiteConnection.class);
                assertThat(TxDb.queryString(nested, "SELECT group_concat(v) FROM t")).isEqualTo("seed");
                // its writes would wait for the turn its own thread holds: refused at once, as before
                assertThatThrownBy(() -> TxDb.update(nested, "INSERT INTO t(v) VALUES ('nested')"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            }
            assertThat(nestedsOwn.isClosed()).as("the connection beyond the size closes when given back").isTrue();
            assertThat(other.isDone()).as("the other writer still waits for the turn").isFalse();

            outer.commit();
            assertThat(other.join()).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM t")).isEqualTo("seed,outer,other");
    }

    /**
     * Spring's REQUIRES_NEW inside a write transaction: a transaction of another connection on the same thread that
     * begins with a read. A transaction whose first statement is not known to be read-only begins as a writer (see
     * adaptive begin), and that writer waited for the turn its own thread held: it failed at its first read, every
     * time, and so never became known as a reader. Plain sqlite-jdbc begins it deferred, and it reads.
     */
    @Test
    void aTransactionThatBeginsWithAReadInsideTheThreadsOwnWriteTransactionReads() throws Exception {
        String url = database("requires-new.db", "maximumPoolSize=4", SCHEMA, "INSERT INTO t(v) VALUES ('seed')");
        try (Connection outer = DriverManager.getConnection(url)) {
            outer.setAutoCommit(false);
            TxDb.update(outer, "INSERT INTO t(v) VALUES ('outer')");
            for (int i = 0; i < 3; i++) {
                try (Connection inner = DriverManager.getConnection(url)) {
                    inner.setAutoCommit(false);
                    assertThat(TxDb.queryString(inner, "SELECT group_concat(v) FROM t")).isEqualTo("seed");
                    inner.commit();
                }
            }
            try (Connection inner = DriverManager.getConnection(url)) {
                inner.setAutoCommit(false);
                assertThat(TxDb.queryLong(inner, "SELECT count(*) FROM t")).isEqualTo(1);
                // its write would wait for the turn its own thread holds: refused at once, as before
                assertThatThrownBy(() -> TxDb.update(inner, "INSERT INTO t(v) VALUES ('inner')"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("25001"));
                inner.rollback();
                assertThat(TxDb.queryLong(inner, "SELECT count(*) FROM t")).isEqualTo(1);
                inner.commit();
            }
            TxDb.update(outer, "INSERT INTO t(v) VALUES ('after')");
            outer.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM t")).isEqualTo("seed,outer,after");
    }

    /** Each of two threads holds the pool's connections and asks for one more: HikariCP's classic pool deadlock. */
    @Test
    void threadsThatEachHoldAConnectionAndAskForASecondAreAllServed() throws Exception {
        String url = database("pair.db", "maximumPoolSize=2&connectionTimeout=20000", SCHEMA,
                "INSERT INTO t(v) VALUES ('seed')");
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        List<TxDb.Async<Long>> pair = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            pair.add(TxDb.async("borrower " + i, () -> {
                try (Connection one = DriverManager.getConnection(url)) {
                    TxDb.queryLong(one, "SELECT count(*) FROM t");
                    bothHoldOne.countDown();
                    bothHoldOne.await();
                    try (Connection second = DriverManager.getConnection(url)) {
                        return TxDb.queryLong(second, "SELECT count(*) FROM t");
                    }
                }
            }));
        }
        for (TxDb.Async<Long> borrower : pair) {
            assertThat(borrower.join()).isEqualTo(1);
        }
    }

    /** Connections beyond the size are limited to the size again, so a thread that leaks them still meets the limit. */
    @Test
    void nestedConnectionsBeyondTheSizeAreLimitedToTheSize() throws Exception {
        String url = database("leak.db", "maximumPoolSize=1&connectionTimeout=300", SCHEMA);
        try (Connection outer = DriverManager.getConnection(url)) {
            Connection beyond = DriverManager.getConnection(url);
            assertThatThrownBy(() -> DriverManager.getConnection(url))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("maximumPoolSize=1");
            beyond.close();
            try (Connection again = DriverManager.getConnection(url)) {
                TxDb.update(again, "INSERT INTO t(v) VALUES ('again')");
            }
            assertThat(TxDb.queryLong(outer, "SELECT count(*) FROM t")).isEqualTo(1);
        }
    }
}
