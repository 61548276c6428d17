package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 2: an error that surfaces from {@code ResultSet.next()} inside a transaction reaches the
 * transaction's state, and the repairs it needs, as one from {@code execute} does, because every forwarded call
 * passes one error hook.
 */
class ResultSetErrorTest extends TxDatabaseTest {

    /**
     * {@code Statement.cancel()} between two rows interrupts the next {@code next()}. After SQLITE_INTERRUPT, SQLite
     * goes on interrupting statements of the connection that had run before until they are finalized; the execution
     * path renews them, and so must an interrupt that surfaces from {@code next()}: the transaction goes on.
     */
    @Test
    void anInterruptSurfacingFromNextLeavesTheTransactionUsableAsAnInterruptedExecuteDoes() throws Exception {
        String url = database("next.db", "maximumPoolSize=1", "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t(v) VALUES ('a'), ('b'), ('c')");
        try (Connection connection = DriverManager.getConnection(url);
             Statement kept = connection.createStatement()) {
            assertThat(count(connection)).isEqualTo(3); // leaves a run statement in the statement cache
            connection.setAutoCommit(false);
            kept.executeUpdate("INSERT INTO t(v) VALUES ('mine')"); // one Statement kept for several calls
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT v FROM t")) {
                assertThat(rows.next()).isTrue();
                statement.cancel();
                assertThatThrownBy(rows::next)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("SQLITE_INTERRUPT");
            }
            assertThat(count(connection)).as("the transaction's next statement runs").isEqualTo(4);
            kept.executeUpdate("INSERT INTO t(v) VALUES ('kept')");
            connection.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v ORDER BY id) FROM t")).isEqualTo("a,b,c,mine,kept");
    }

    private static long count(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM t");
             ResultSet result = select.executeQuery()) {
            assertThat(result.next()).isTrue();
            return result.getLong(1);
        }
    }
}
