package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 6, the statement cache: a prepared statement closed and prepared again on the same pooled
 * connection behaves exactly as a freshly prepared one. One pooled connection, so every lease is the same one.
 */
class StatementCacheTest {

    private static final String SELECT = "SELECT v FROM t WHERE id >= ? ORDER BY id";

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = Db.url(dir.resolve("cache.db"), "maximumPoolSize=1");
        try (Connection connection = DriverManager.getConnection(url)) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO t(v) VALUES ('a'), ('b'), ('c'), ('d')");
        }
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static List<String> rows(ResultSet result) throws SQLException {
        List<String> values = new ArrayList<>();
        while (result.next()) {
            values.add(result.getString(1));
        }
        return values;
    }

    private static List<String> select(Connection connection, int from) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setInt(1, from);
            try (ResultSet result = statement.executeQuery()) {
                return rows(result);
            }
        }
    }

    @Test
    void aRePreparedStatementReturnsFreshResultsForNewParameters() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(select(connection, 1)).containsExactly("a", "b", "c", "d");
            assertThat(select(connection, 3)).containsExactly("c", "d");
            Db.execute(connection, "INSERT INTO t(v) VALUES ('e')");
            assertThat(select(connection, 4)).containsExactly("d", "e");
        }
        try (Connection next = DriverManager.getConnection(url)) {
            assertThat(select(next, 5)).containsExactly("e");
            assertThat(select(next, 2)).containsExactly("b", "c", "d", "e");
        }
    }

    @Test
    void aStatementClosedHalfwayThroughItsRowsIsFreshWhenPreparedAgain() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            PreparedStatement first = connection.prepareStatement(SELECT);
            first.setInt(1, 1);
            ResultSet partly = first.executeQuery();
            assertThat(partly.next()).isTrue();
            first.close();

            assertThat(select(connection, 2)).containsExactly("b", "c", "d");
        }
    }

    @Test
    void aStatementRunWithExecuteIsFreshWhenPreparedAgain() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement first = connection.prepareStatement(SELECT)) {
                first.setInt(1, 1);
                assertThat(first.execute()).isTrue(); // rows pending, never fetched
            }
            try (PreparedStatement again = connection.prepareStatement(SELECT)) {
                again.setInt(1, 4);
                assertThat(again.execute()).isTrue();
                try (ResultSet result = again.getResultSet()) {
                    assertThat(rows(result)).containsExactly("d");
                }
            }
            assertThat(select(connection, 3)).containsExactly("c", "d");
        }
    }

    @Test
    void aClosedStatementThatTheCacheKeptCannotBeUsedAgain() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            PreparedStatement closed = connection.prepareStatement(SELECT);
            closed.setInt(1, 1);
            closed.executeQuery().close();
            closed.close();

            try (PreparedStatement current = connection.prepareStatement(SELECT)) {
                current.setInt(1, 3);
                assertThat(closed.isClosed()).isTrue();
                assertThatThrownBy(closed::executeQuery).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> closed.setInt(1, 2)).isInstanceOf(SQLException.class);
                assertThatThrownBy(closed::getConnection).isInstanceOf(SQLException.class);
                // the stale reference did not disturb the statement now in use
                try (ResultSet result = current.executeQuery()) {
                    assertThat(rows(result)).containsExactly("c", "d");
                }
            }
        }
    }

    /** A result set of a statement the application closed must stay closed when the SQL is prepared again. */
    @Test
    void aResultSetOfAClosedStatementStaysClosedWhenTheSqlIsPreparedAgain() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            PreparedStatement first = connection.prepareStatement(SELECT);
            first.setInt(1, 1);
            ResultSet stale = first.executeQuery();
            first.close();
            assertThat(stale.isClosed()).isTrue();

            try (PreparedStatement again = connection.prepareStatement(SELECT)) {
                again.setInt(1, 4);
                try (ResultSet fresh = again.executeQuery()) {
                    SoftAssertions softly = new SoftAssertions();
                    softly.assertThat(stale.isClosed()).as("the closed statement's result set is closed").isTrue();
                    boolean staleRow = stale.next();
                    softly.assertThat(staleRow).as("the closed statement's result set yields no row").isFalse();
                    if (staleRow) {
                        softly.fail("the closed statement's result set read the new statement's row '"
                                + stale.getString(1) + "'");
                    }
                    softly.assertAll();
                    assertThat(rows(fresh)).containsExactly("d");
                }
            }
        }
    }

    @Test
    void maxRowsOfOneStatementIsNotInheritedByTheNextPreparer() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement limited = connection.prepareStatement(SELECT)) {
                limited.setMaxRows(1);
                limited.setInt(1, 1);
                try (ResultSet result = limited.executeQuery()) {
                    assertThat(rows(result)).containsExactly("a");
                }
            }
            try (PreparedStatement next = connection.prepareStatement(SELECT)) {
                assertThat(next.getMaxRows()).isZero();
                next.setInt(1, 1);
                try (ResultSet result = next.executeQuery()) {
                    assertThat(rows(result)).containsExactly("a", "b", "c", "d");
                }
            }
        }
        try (Connection next = DriverManager.getConnection(url)) {
            assertThat(select(next, 1)).containsExactly("a", "b", "c", "d");
        }
    }

    @Test
    void aBatchLeftUnexecutedIsNotRunByTheNextPreparer() throws SQLException {
        String insert = "INSERT INTO t(v) VALUES (?)";
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement abandoned = connection.prepareStatement(insert)) {
                abandoned.setString(1, "abandoned");
                abandoned.addBatch();
            }
            try (PreparedStatement next = connection.prepareStatement(insert)) {
                next.setString(1, "wanted");
                next.addBatch();
                assertThat(next.executeBatch()).containsExactly(1);
            }
            assertThat(Db.queryStrings(connection, "SELECT v FROM t WHERE id > 4 ORDER BY id")).containsExactly("wanted");
        }
    }

    /** Parameters bound by the previous user are gone: the re-prepared statement behaves like a fresh one. */
    @Test
    void parametersOfThePreviousUserAreNotInherited() throws SQLException {
        String reference;
        try (Connection plain = Db.plain(dir.resolve("cache.db"))) {
            reference = unboundResult(plain);
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement first = connection.prepareStatement(SELECT)) {
                first.setInt(1, 2);
                first.executeQuery().close();
            }
            assertThat(unboundResult(connection)).isEqualTo(reference);
        }
    }

    /** What a freshly prepared statement does when run without binding its parameter: its rows or its error. */
    private static String unboundResult(Connection connection) {
        try (PreparedStatement statement = connection.prepareStatement(SELECT); ResultSet result = statement.executeQuery()) {
            return "rows " + rows(result);
        } catch (SQLException e) {
            return "error";
        }
    }

    /**
     * An application that prepares per operation never holds a statement across a schema change; the cache must not
     * make it hold one. SELECT * prepared again after ALTER TABLE sees the new column, as a fresh prepare does.
     */
    @Test
    void aStatementPreparedAgainAfterASchemaChangeSeesTheNewSchema() throws SQLException {
        String selectAll = "SELECT * FROM t WHERE id = ?";
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(columns(connection, selectAll)).containsExactly("id", "v");
            Db.execute(connection, "ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'new'");
            assertThat(columns(connection, selectAll)).containsExactly("id", "v", "w");
            assertThat(Db.queryStrings(connection, "SELECT w FROM t WHERE id = 1")).containsExactly("new");
        }
        // the same through another connection changing the schema, as a migration tool would
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(columns(connection, selectAll)).containsExactly("id", "v", "w");
        }
        try (Connection plain = Db.plain(dir.resolve("cache.db"))) {
            Db.execute(plain, "ALTER TABLE t ADD COLUMN z INTEGER DEFAULT 7");
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(columns(connection, selectAll)).containsExactly("id", "v", "w", "z");
        }
    }

    /** Column labels of the first row, with the values read by label to show every column is really there. */
    private static List<String> columns(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, 1);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                List<String> labels = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    labels.add(result.getMetaData().getColumnLabel(i));
                    result.getObject(i);
                }
                return labels;
            }
        }
    }

    @Test
    void theCacheCanBeTurnedOff() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("nocache.db"), "statementCacheSize=0")) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('x'), ('y')");
            assertThat(select(connection, 1)).containsExactly("x", "y");
            assertThat(select(connection, 2)).containsExactly("y");
        }
    }
}
