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
import java.sql.Statement;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 5: close() hands the next borrower a clean connection. The pool has one connection, so the next
 * borrower is lent the very connection the previous one closed, unless that one was evicted.
 */
class ConnectionResetTest {

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = Db.url(dir.resolve("reset.db"), "maximumPoolSize=1&connectionTimeout=5000");
        try (Connection connection = DriverManager.getConnection(url)) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)",
                    "INSERT INTO t(v) VALUES ('a'), ('b'), ('c')");
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
    void closeClosesTheStatementsAndResultSetsOfTheLease() throws SQLException {
        Statement statement;
        ResultSet result;
        PreparedStatement prepared;
        ResultSet preparedResult;
        try (Connection connection = borrow()) {
            statement = connection.createStatement();
            result = statement.executeQuery("SELECT v FROM t");
            assertThat(result.next()).isTrue();
            prepared = connection.prepareStatement("SELECT v FROM t WHERE id > ?");
            prepared.setInt(1, 0);
            preparedResult = prepared.executeQuery();
            assertThat(preparedResult.next()).isTrue();
        }

        assertThat(statement.isClosed()).isTrue();
        assertThat(result.isClosed()).isTrue();
        assertThat(prepared.isClosed()).isTrue();
        assertThat(preparedResult.isClosed()).isTrue();
        assertThat(result.next()).as("sqlite-jdbc answers next() on a closed result set with false").isFalse();
    }

    /**
     * sqlite-jdbc lets a closed Statement run again; through a pool that would run SQL on the connection now lent
     * to someone else, inside their transaction. A statement of a closed lease must refuse.
     */
    @Test
    void aStatementOfAClosedLeaseCannotRunOnTheNextBorrowersConnection() throws SQLException {
        Statement stale;
        try (Connection connection = borrow()) {
            stale = connection.createStatement();
            stale.executeQuery("SELECT 1").close();
        }

        try (Connection next = borrow()) {
            next.setAutoCommit(false);
            Db.execute(next, "INSERT INTO t(v) VALUES ('next borrower')");
            assertThatThrownBy(() -> stale.executeUpdate("INSERT INTO t(v) VALUES ('stale statement')"))
                    .isInstanceOf(SQLException.class);
            next.rollback();
        }
        try (Connection plain = Db.plain(dir.resolve("reset.db"))) {
            assertThat(Db.queryStrings(plain, "SELECT v FROM t ORDER BY id")).containsExactly("a", "b", "c");
        }
    }

    /** The next borrower runs the same SQL on the same physical connection: the old handles must stay closed. */
    @Test
    void resultSetsOfAClosedLeaseStayClosedWhileTheNextBorrowerRunsTheSameSql() throws SQLException {
        ResultSet stale;
        try (Connection connection = borrow()) {
            PreparedStatement prepared = connection.prepareStatement("SELECT v FROM t WHERE id >= ? ORDER BY id");
            prepared.setInt(1, 1);
            stale = prepared.executeQuery();
            assertThat(stale.next()).isTrue();
        }
        try (Connection next = borrow();
             PreparedStatement prepared = next.prepareStatement("SELECT v FROM t WHERE id >= ? ORDER BY id")) {
            prepared.setInt(1, 3);
            try (ResultSet fresh = prepared.executeQuery()) {
                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(stale.isClosed()).as("the earlier lease's result set is closed").isTrue();
                boolean staleRow = stale.next();
                softly.assertThat(staleRow).as("the earlier lease's result set yields no row").isFalse();
                if (staleRow) {
                    softly.fail("the earlier lease's result set read the next borrower's row '" + stale.getString(1) + "'");
                }
                softly.assertAll();
                assertThat(fresh.next()).isTrue();
                assertThat(fresh.getString(1)).isEqualTo("c");
                assertThat(fresh.next()).isFalse();
            }
        }
    }

    @Test
    void anUncommittedTransactionIsRolledBackAndAutoCommitRestored() throws SQLException {
        try (Connection connection = borrow()) {
            connection.setAutoCommit(false);
            Db.execute(connection, "INSERT INTO t(v) VALUES ('uncommitted')");
        }

        try (Connection next = borrow()) {
            assertThat(next.getAutoCommit()).isTrue();
            assertThat(Db.queryStrings(next, "SELECT v FROM t WHERE v = 'uncommitted'")).isEmpty();
            // auto-commit really is on: a write is visible to another connection without commit()
            Db.execute(next, "INSERT INTO t(v) VALUES ('autocommitted')");
        }
        try (Connection plain = Db.plain(dir.resolve("reset.db"))) {
            assertThat(Db.queryStrings(plain, "SELECT v FROM t ORDER BY id")).containsExactly("a", "b", "c", "autocommitted");
        }
    }

    @Test
    void aBeginIssuedAsSqlAndLeftOpenIsRolledBack() throws SQLException {
        try (Connection connection = borrow()) {
            Db.execute(connection, "BEGIN", "INSERT INTO t(v) VALUES ('inside begin')");
        }

        try (Connection next = borrow()) {
            assertThat(next.getAutoCommit()).isTrue();
            assertThat(Db.queryStrings(next, "SELECT v FROM t WHERE v = 'inside begin'")).isEmpty();
            Db.execute(next, "BEGIN IMMEDIATE", "INSERT INTO t(v) VALUES ('next')", "COMMIT");
        }
        try (Connection plain = Db.plain(dir.resolve("reset.db"))) {
            assertThat(Db.queryStrings(plain, "SELECT v FROM t ORDER BY id")).containsExactly("a", "b", "c", "next");
        }
    }

    /** sqlite-jdbc's setSavepoint in auto-commit mode starts a transaction by itself (SAVEPOINT acts as BEGIN). */
    @Test
    void aSavepointSetInAutoCommitModeIsRolledBackAndAutoCommitRestored() throws SQLException {
        try (Connection connection = borrow()) {
            connection.setSavepoint("outer");
            Db.execute(connection, "INSERT INTO t(v) VALUES ('in savepoint')");
        }

        try (Connection next = borrow()) {
            assertThat(Db.queryStrings(next, "SELECT v FROM t WHERE v = 'in savepoint'")).isEmpty();
            assertThat(next.getAutoCommit()).as("autoCommit of the next borrower").isTrue();
        }
    }

    @Test
    void setReadOnlyWorksOnALivePooledConnectionAndIsResetForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            Db.execute(connection, "SELECT 1"); // a statement has run: sqlite-jdbc itself would refuse the switch
            connection.setReadOnly(true);
            assertThat(connection.isReadOnly()).isTrue();
            assertThat(Db.queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(3);
            assertThatThrownBy(() -> Db.execute(connection, "INSERT INTO t(v) VALUES ('read-only write')"))
                    .isInstanceOf(SQLException.class);
        }

        try (Connection next = borrow()) {
            assertThat(next.isReadOnly()).isFalse();
            Db.execute(next, "INSERT INTO t(v) VALUES ('writable again')");
            assertThat(Db.queryLong(next, "SELECT count(*) FROM t")).isEqualTo(4);
        }
    }

    @Test
    void transactionIsolationIsResetForTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            assertThat(Db.pragma(connection, "read_uncommitted")).isEqualTo("1");
        }
        try (Connection next = borrow()) {
            assertThat(next.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(Db.pragma(next, "read_uncommitted")).isEqualTo("0");
        }
    }

    @Test
    void aConnectionWhosePragmasTheAppChangedIsNotLentAgain() throws SQLException {
        try (Connection connection = borrow()) {
            Db.execute(connection, "PRAGMA foreign_keys=ON");
            assertThat(Db.pragma(connection, "foreign_keys")).isEqualTo("1");
        }
        try (Connection next = borrow()) {
            assertThat(Db.pragma(next, "foreign_keys")).isEqualTo("0");
        }
    }

    @Test
    void aProfilePragmaTheAppChangedDoesNotReachTheNextBorrower() throws SQLException {
        try (Connection connection = borrow(); PreparedStatement statement = connection.prepareStatement("PRAGMA synchronous = OFF")) {
            statement.execute();
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("0");
        }
        try (Connection next = borrow()) {
            assertThat(Db.pragma(next, "synchronous")).isEqualTo("1");
        }
    }

    @Test
    void anAttachmentDoesNotReachTheNextBorrower() throws SQLException {
        Path other = dir.resolve("other.db");
        try (Connection connection = borrow()) {
            Db.execute(connection, "ATTACH DATABASE '" + other.toAbsolutePath() + "' AS side", "CREATE TABLE side.s(x)");
            assertThat(Db.queryStrings(connection, "SELECT name FROM pragma_database_list ORDER BY seq")).contains("side");
        }
        try (Connection next = borrow()) {
            assertThat(Db.queryStrings(next, "SELECT name FROM pragma_database_list ORDER BY seq")).doesNotContain("side");
            assertThatThrownBy(() -> Db.queryLong(next, "SELECT count(*) FROM side.s")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aTemporaryTableDoesNotReachTheNextBorrower() throws SQLException {
        try (Connection connection = borrow()) {
            Db.execute(connection, "CREATE TEMP TABLE scratch(x)", "INSERT INTO scratch VALUES (1)");
            assertThat(Db.tableExists(connection, "temp", "scratch")).isTrue();
        }
        try (Connection next = borrow()) {
            assertThat(Db.tableExists(next, "temp", "scratch")).isFalse();
            // the name is free again for the next borrower's own temporary table
            Db.execute(next, "CREATE TEMP TABLE scratch(y)");
        }
    }

    /** JDBC: once closed, a connection refuses work; it must not reach the physical connection now lent to another. */
    @Test
    void aClosedConnectionRefusesWork() throws SQLException {
        Connection closed = borrow();
        closed.close();
        closed.close(); // closing twice is a no-op

        try (Connection next = borrow()) {
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(closed.isClosed()).isTrue();
            softly.assertThatThrownBy(closed::createStatement).as("createStatement").isInstanceOf(SQLException.class);
            softly.assertThatThrownBy(() -> closed.prepareStatement("SELECT 1")).as("prepareStatement")
                    .isInstanceOf(SQLException.class);
            softly.assertThatThrownBy(() -> closed.prepareStatement("SELECT 1", Statement.RETURN_GENERATED_KEYS))
                    .as("prepareStatement with generated keys").isInstanceOf(SQLException.class);
            softly.assertThatThrownBy(closed::getMetaData).as("getMetaData").isInstanceOf(SQLException.class);
            softly.assertThatThrownBy(() -> closed.setAutoCommit(false)).as("setAutoCommit").isInstanceOf(SQLException.class);
            softly.assertThat(next.getAutoCommit()).as("the next borrower's autoCommit").isTrue();
            softly.assertAll();
        }
    }
}
