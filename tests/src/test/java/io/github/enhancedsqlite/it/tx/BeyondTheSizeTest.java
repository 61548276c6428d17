package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.enhancedsqlite.DatabaseMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConnection;

/**
 * Every connection of the pool stays borrowed without being used: parked in a pool in front of the driver (Quartz's
 * JDBC job store always builds its own, Spring Boot does without the starter), or held by long-lived code. Plain
 * sqlite-jdbc opens a connection for every getConnection, so another borrower of the file was served there; through
 * the driver it waited {@code connectionTimeout} and failed, every time, for as long as the pool in front kept them
 * (Quartz 2.5.2's job store on its own HikariCP of 10: every job that opened its own connection failed after 30 s).
 */
class BeyondTheSizeTest extends TxDatabaseTest {

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v)";

    @Test
    void aPoolInFrontHoldingEveryConnectionLeavesOtherBorrowersServed() throws Exception {
        // before the fix the borrower below waited all of connectionTimeout and failed
        String url = database("in-front.db", "maximumPoolSize=3&connectionTimeout=5000", SCHEMA,
                "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        try (HikariDataSource inFront = poolInFront(url, 3)) {
            try (Connection fromFront = inFront.getConnection()) {
                TxDb.update(fromFront, "INSERT INTO t(v) VALUES ('from the pool in front')");
            }
            TxDb.Async<String> other = TxDb.async("a borrower of its own", () -> {
                SQLiteConnection own;
                String seen;
                try (Connection connection = DriverManager.getConnection(url)) {
                    own = connection.unwrap(SQLiteConnection.class);
                    DatabaseMXBean figures = connection.unwrap(DatabaseMXBean.class);
                    assertThat(figures.getActiveConnections()).as("active, the one beyond the size included")
                            .isEqualTo(4);
                    assertThat(figures.getTotalConnections()).isEqualTo(4);
                    TxDb.update(connection, "INSERT INTO t(v) VALUES ('its own')");
                    seen = TxDb.queryString(connection, "SELECT group_concat(v, '|') FROM t");
                }
                assertThat(own.isClosed()).as("a connection opened beyond the size closes when given back").isTrue();
                return seen;
            });
            assertThat(other.join()).isEqualTo("from the pool in front|its own");
        }
    }

    /** Writers on connections beyond the size take turns with the others: nothing lost, nothing failed. */
    @Test
    void writersBeyondTheSizeTakeTurnsWithTheRest() throws Exception {
        String url = database("turns.db", "maximumPoolSize=2&connectionTimeout=5000", SCHEMA,
                "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        try (HikariDataSource inFront = poolInFront(url, 2)) {
            List<TxDb.Async<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(TxDb.async("writer " + w, () -> {
                    for (int i = 0; i < 25; i++) {
                        try (Connection connection = DriverManager.getConnection(url)) {
                            connection.setAutoCommit(false);
                            long n = TxDb.queryLong(connection, "SELECT n FROM counter");
                            TxDb.update(connection, "UPDATE counter SET n = " + (n + 1));
                            connection.commit();
                        }
                    }
                    return 25;
                }));
            }
            try (Connection fromFront = inFront.getConnection()) {
                fromFront.setAutoCommit(false);
                long n = TxDb.queryLong(fromFront, "SELECT n FROM counter");
                TxDb.update(fromFront, "UPDATE counter SET n = " + (n + 1000));
                fromFront.commit();
            }
            for (TxDb.Async<Integer> writer : writers) {
                assertThat(writer.join()).isEqualTo(25);
            }
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(1100);
    }

    /** A thread that leaks connections still meets the limit, at twice the size, and is told so. */
    @Test
    void connectionsBeyondTheSizeAreLimitedToTheSize() throws Exception {
        String url = database("limit.db", "maximumPoolSize=2&connectionTimeout=1000", SCHEMA);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(DriverManager.getConnection(url));
            }
            TxDb.Async<List<Connection>> leaker = TxDb.async("a leaking thread", () -> {
                List<Connection> beyond = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    beyond.add(DriverManager.getConnection(url));
                }
                return beyond;
            });
            held.addAll(leaker.join());
            TxDb.Async<Connection> next = TxDb.async("one more", () -> DriverManager.getConnection(url));
            assertThat(next.failure()).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("all 2 (maximumPoolSize=2) stayed borrowed")
                    .hasMessageContaining("and so did 2 more opened beyond it");
            held.remove(held.size() - 1).close(); // one beyond the size comes back
            try (Connection served = TxDb.async("served", () -> DriverManager.getConnection(url)).join()) {
                TxDb.update(served, "INSERT INTO t(v) VALUES ('served')");
            }
            assertThat(TxDb.queryLong(held.get(0), "SELECT count(*) FROM t")).isEqualTo(1);
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    /** The application's own HikariCP in front of the driver, filled: it holds as many of the driver's as it can. */
    private static HikariDataSource poolInFront(String url, int size) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setPoolName("in front");
        HikariDataSource inFront = new HikariDataSource(config);
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                all.add(inFront.getConnection());
            }
        } finally {
            for (Connection connection : all) {
                connection.close(); // idle in the pool in front, still borrowed from the driver's
            }
        }
        return inFront;
    }
}
