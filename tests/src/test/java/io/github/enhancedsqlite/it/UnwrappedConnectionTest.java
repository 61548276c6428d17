package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.DatabaseMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.BusyHandler;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;

/**
 * Issue 11 point 5: what an application registers on sqlite-jdbc's own connection (reached through unwrap) must not
 * follow the pooled connection to the next borrower. The pool has one connection, so the next borrower gets the very
 * connection the previous lease closed unless it was evicted.
 */
class UnwrappedConnectionTest {

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        // busy_timeout=0: SQLite's own busy wait would replace an application's busy handler, hiding a leftover one
        url = Db.url(dir.resolve("unwrap.db"), "maximumPoolSize=1&connectionTimeout=5000&busy_timeout=0"
                + "&busyRetryAttempts=1");
        try (Connection connection = DriverManager.getConnection(url)) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('a')");
        }
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Connection borrow() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Test
    void aFunctionRegisteredThroughUnwrapIsGoneForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            Function.create(connection.unwrap(SQLiteConnection.class), "twice", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(value_long(0) * 2);
                }
            });
            assertThat(Db.queryLong(connection, "SELECT twice(21)")).isEqualTo(42);
        }
        try (Connection next = borrow()) {
            assertThatThrownBy(() -> Db.queryLong(next, "SELECT twice(21)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such function");
        }
    }

    @Test
    void aCollationRegisteredThroughUnwrapIsGoneForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            Collation.create(connection.unwrap(SQLiteConnection.class), "reversed", new Collation() {
                @Override
                protected int xCompare(String left, String right) {
                    return right.compareTo(left);
                }
            });
            assertThat(Db.queryStrings(connection, "SELECT 'a' UNION SELECT 'b' ORDER BY 1 COLLATE reversed"))
                    .containsExactly("b", "a");
        }
        try (Connection next = borrow()) {
            assertThatThrownBy(() -> Db.queryStrings(next, "SELECT 'a' UNION SELECT 'b' ORDER BY 1 COLLATE reversed"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no such collation sequence");
        }
    }

    @Test
    void aBusyHandlerSetThroughUnwrapIsGoneForTheNextBorrower() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        try (Connection connection = borrow()) {
            BusyHandler.setHandler(connection.unwrap(SQLiteConnection.class), new BusyHandler() {
                @Override
                protected int callback(int retries) {
                    calls.incrementAndGet();
                    return 0; // give up at once
                }
            });
        }
        try (Connection next = borrow(); Connection otherWriter = Db.plain(dir.resolve("unwrap.db"))) {
            Db.execute(otherWriter, "BEGIN IMMEDIATE");
            assertThatThrownBy(() -> Db.execute(next, "INSERT INTO t(v) VALUES ('blocked')"))
                    .isInstanceOf(SQLException.class);
            Db.execute(otherWriter, "ROLLBACK");
        }
        assertThat(calls).as("calls to the previous lease's busy handler").hasValue(0);
    }

    @Test
    void aProgressHandlerSetThroughUnwrapIsGoneForTheNextBorrower() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        try (Connection connection = borrow()) {
            ProgressHandler.setHandler(connection.unwrap(SQLiteConnection.class), 1, new ProgressHandler() {
                @Override
                protected int progress() {
                    calls.incrementAndGet();
                    return 0;
                }
            });
            Db.queryLong(connection, "SELECT count(*) FROM t");
            assertThat(calls.get()).as("the handler works on its own lease").isPositive();
        }
        calls.set(0);
        try (Connection next = borrow()) {
            assertThat(Db.queryLong(next, "SELECT count(*) FROM t")).isEqualTo(1);
        }
        assertThat(calls).as("calls to the previous lease's progress handler").hasValue(0);
    }

    @Test
    void anUpdateListenerAddedThroughUnwrapIsGoneForTheNextBorrower() throws SQLException {
        AtomicInteger updates = new AtomicInteger();
        try (Connection connection = borrow()) {
            SQLiteUpdateListener listener = (type, database, table, rowId) -> updates.incrementAndGet();
            connection.unwrap(SQLiteConnection.class).addUpdateListener(listener);
            Db.execute(connection, "INSERT INTO t(v) VALUES ('seen')");
            assertThat(updates.get()).as("the listener works on its own lease").isEqualTo(1);
        }
        updates.set(0);
        try (Connection next = borrow()) {
            Db.execute(next, "INSERT INTO t(v) VALUES ('not seen')");
        }
        assertThat(updates).as("calls to the previous lease's update listener").hasValue(0);
    }

    @Test
    void aCommitListenerAddedThroughUnwrapIsGoneForTheNextBorrower() throws SQLException {
        AtomicInteger commits = new AtomicInteger();
        try (Connection connection = borrow()) {
            connection.unwrap(SQLiteConnection.class).addCommitListener(new SQLiteCommitListener() {
                @Override
                public void onCommit() {
                    commits.incrementAndGet();
                }

                @Override
                public void onRollback() {
                    commits.incrementAndGet();
                }
            });
            Db.execute(connection, "INSERT INTO t(v) VALUES ('seen')");
            assertThat(commits.get()).as("the listener works on its own lease").isPositive();
        }
        commits.set(0);
        try (Connection next = borrow()) {
            Db.execute(next, "INSERT INTO t(v) VALUES ('not seen')");
        }
        assertThat(commits).as("calls to the previous lease's commit listener").hasValue(0);
    }

    /** sqlite-jdbc's statement leads to sqlite-jdbc's connection, so unwrapping it counts as well. */
    @Test
    void aFunctionRegisteredThroughAnUnwrappedStatementsConnectionIsGoneForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow(); Statement statement = connection.createStatement()) {
            Connection sqlite = statement.unwrap(org.sqlite.jdbc4.JDBC4Statement.class).getConnection();
            Function.create(sqlite, "twice", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(value_long(0) * 2);
                }
            });
        }
        try (Connection next = borrow()) {
            assertThatThrownBy(() -> Db.queryLong(next, "SELECT twice(21)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such function");
        }
    }

    @Test
    void aFunctionRegisteredThroughAnUnwrappedResultSetsConnectionIsGoneForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT v FROM t")) {
            Connection sqlite = result.unwrap(org.sqlite.jdbc4.JDBC4ResultSet.class).getStatement().getConnection();
            Function.create(sqlite, "twice", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(value_long(0) * 2);
                }
            });
        }
        try (Connection next = borrow()) {
            assertThatThrownBy(() -> Db.queryLong(next, "SELECT twice(21)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such function");
        }
    }

    /**
     * Only handing out sqlite-jdbc's objects costs the physical connection: asking what the connection wraps,
     * unwrapping to JDBC's interfaces or to the database's figures keeps it (its total_changes() carries over).
     */
    @Test
    void leasesThatDoNotGetSqliteJdbcsObjectsKeepThePhysicalConnection() throws SQLException {
        long changes;
        try (Connection connection = borrow()) {
            Db.execute(connection, "INSERT INTO t(v) VALUES ('counted')");
            assertThat(connection.isWrapperFor(SQLiteConnection.class)).isTrue();
            assertThat(connection.unwrap(Connection.class)).isSameAs(connection);
            assertThat(connection.unwrap(DatabaseMXBean.class)).isNotNull();
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.unwrap(Statement.class)).isSameAs(statement);
            }
            changes = Db.queryLong(connection, "SELECT total_changes()");
            assertThat(changes).isPositive();
        }
        try (Connection next = borrow()) {
            assertThat(Db.queryLong(next, "SELECT total_changes()")).as("the same physical connection").isEqualTo(changes);
        }
    }
}
