package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Collation;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;
import org.sqlite.core.CoreStatement;
import org.sqlite.jdbc3.JDBC3Statement;
import org.sqlite.jdbc4.JDBC4Statement;

/**
 * Code written for sqlite-jdbc hands the connection it got from DriverManager to sqlite-jdbc's own helpers
 * ({@code Function.create}, {@code Collation.create}, {@code ProgressHandler.setHandler}, …; each checks
 * {@code instanceof SQLiteConnection} and calls {@code getDatabase()}, as the two tested here do) or casts it to
 * {@link SQLiteConnection}; sqlite-jdbc's own test suite does so in 49 tests. The application's connection is such a
 * connection, acting on the lease's physical connection: what is registered works on the lease, is gone for the next
 * borrower (the pool has one connection, so the next borrower gets the very connection unless it was evicted), and a
 * closed lease leads to nothing.
 */
class SqliteJdbcHelpersTest {

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = Db.url(dir.resolve("helpers.db"), "maximumPoolSize=1&connectionTimeout=5000");
        try (Connection connection = DriverManager.getConnection(url)) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('b')",
                    "INSERT INTO t(v) VALUES ('a')", "INSERT INTO t(v) VALUES ('c')");
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
    void theConnectionIsASqliteJdbcConnectionAndUnwrapsToItself() throws SQLException {
        try (Connection connection = borrow()) {
            assertThat(connection).isInstanceOf(SQLiteConnection.class);
            assertThat(connection.unwrap(SQLiteConnection.class)).isSameAs(connection);
            SQLiteConnection sqlite = (SQLiteConnection) connection;
            assertThat(sqlite.libversion()).isEqualTo(Db.queryStrings(connection, "SELECT sqlite_version()").get(0));
            assertThat(sqlite.getUrl()).contains("helpers.db");
        }
    }

    /**
     * sqlite-jdbc's StatementTest#unwrapTest: a statement unwrapped to sqlite-jdbc's own statement class is the
     * statement itself, so it still runs under the driver (here: the compressed value reads back decoded) and the
     * lease keeps its physical connection.
     */
    @Test
    void theStatementIsASqliteJdbcStatementAndUnwrapsToItself() throws SQLException {
        long changes;
        try (Connection connection = borrow(); Statement statement = connection.createStatement()) {
            Db.execute(connection, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)",
                    "INSERT INTO notes(body) VALUES ('" + "a note that repeats itself, ".repeat(40) + "')");
            assertThat(statement).isInstanceOf(JDBC4Statement.class);
            assertThat(statement.unwrap(JDBC3Statement.class)).isSameAs(statement);
            assertThat(statement.unwrap(CoreStatement.class)).isSameAs(statement);
            assertThat(statement.isWrapperFor(JDBC3Statement.class)).isTrue();
            JDBC3Statement sqlite = statement.unwrap(JDBC3Statement.class);
            assertThat(sqlite.getConnection()).isSameAs(connection);
            try (ResultSet rows = sqlite.executeQuery("SELECT body FROM notes", true)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).startsWith("a note that repeats itself, ").hasSize(28 * 40);
            }
            assertThat(statement.isClosed()).as("closeStmt closes the statement with its result set").isTrue();
            changes = Db.queryLong(connection, "SELECT total_changes()");
        }
        try (Connection next = borrow()) {
            assertThat(Db.queryLong(next, "SELECT total_changes()")).as("the same physical connection")
                    .isEqualTo(changes);
        }
    }

    @Test
    void aFunctionCreatedOnTheConnectionWorksAndIsGoneForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            Function.create(connection, "twice", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(value_long(0) * 2);
                }
            });
            assertThat(Db.queryLong(connection, "SELECT twice(21)")).isEqualTo(42);
            assertThat(Db.queryLong(connection, "SELECT sum(twice(id)) FROM t")).isEqualTo(12);
        }
        try (Connection next = borrow()) {
            assertThatThrownBy(() -> Db.queryLong(next, "SELECT twice(21)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no such function");
        }
    }

    @Test
    void aCollationCreatedOnTheConnectionOrdersAndIsGoneForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            Collation.create(connection, "reversed", new Collation() {
                @Override
                protected int xCompare(String left, String right) {
                    return right.compareTo(left);
                }
            });
            assertThat(values(connection, "SELECT v FROM t ORDER BY v COLLATE reversed")).containsExactly("c", "b", "a");
        }
        try (Connection next = borrow()) {
            assertThatThrownBy(() -> values(next, "SELECT v FROM t ORDER BY v COLLATE reversed"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no such collation");
        }
    }

    @Test
    void anUpdateListenerAddedThroughACastHearsTheLeasesWritesOnly() throws SQLException {
        List<Long> updated = new ArrayList<>();
        SQLiteUpdateListener listener = (type, database, table, rowId) -> updated.add(rowId);
        try (Connection connection = borrow()) {
            ((SQLiteConnection) connection).addUpdateListener(listener);
            Db.execute(connection, "UPDATE t SET v = 'z' WHERE id = 2");
        }
        assertThat(updated).containsExactly(2L);
        try (Connection next = borrow()) {
            Db.execute(next, "UPDATE t SET v = 'y' WHERE id = 3");
        }
        assertThat(updated).as("the next borrower's write").containsExactly(2L);
    }

    @Test
    void aClosedConnectionLeadsToNoPhysicalConnection() throws SQLException {
        Connection closed = borrow();
        closed.close();
        assertThatThrownBy(() -> Function.create(closed, "late", new Function() {
            @Override
            protected void xFunc() {
            }
        })).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        SQLiteConnection sqlite = (SQLiteConnection) closed;
        assertThatThrownBy(sqlite::getDatabase).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Connection is closed");
        assertThatThrownBy(() -> sqlite.setBusyTimeout(1)).isInstanceOf(SQLException.class)
                .hasMessageContaining("Connection is closed");
        assertThatThrownBy(closed::getTransactionIsolation).isInstanceOf(SQLException.class);
        try (Connection next = borrow()) {
            assertThat(Db.queryLong(next, "SELECT count(*) FROM t")).isEqualTo(3);
        }
    }

    @Test
    void readingSqliteJdbcsFiguresKeepsThePhysicalConnection() throws SQLException {
        long changes;
        try (Connection connection = borrow()) {
            Db.execute(connection, "INSERT INTO t(v) VALUES ('counted')");
            SQLiteConnection sqlite = (SQLiteConnection) connection;
            assertThat(sqlite.getBusyTimeout()).isPositive();
            assertThat(sqlite.libversion()).isNotEmpty();
            assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            changes = Db.queryLong(connection, "SELECT total_changes()");
        }
        try (Connection next = borrow()) {
            assertThat(Db.queryLong(next, "SELECT total_changes()")).as("the same physical connection")
                    .isEqualTo(changes);
        }
    }

    private static List<String> values(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
