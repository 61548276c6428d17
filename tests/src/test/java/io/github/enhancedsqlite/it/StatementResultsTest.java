package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement's current result ({@code getResultSet}, {@code getUpdateCount}, {@code getMoreResults}) before
 * sqlite-jdbc prepared anything for it: on a fresh statement, or after {@code executeUpdate(String)}, which
 * sqlite-jdbc runs through sqlite3_exec, sqlite-jdbc threw NullPointerException (xerial/sqlite-jdbc#1129); a tool
 * that runs any SQL with {@code execute} and then asks for the update count met it. JDBC's answer for "no current
 * result" is given instead.
 */
class StatementResultsTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        io.github.enhancedsqlite.EnhancedSqlite.shutdown();
    }

    @Test
    void aFreshStatementHasNoCurrentResult() throws Exception {
        try (Connection connection = Db.open(dir.resolve("fresh.db")); Statement statement = connection.createStatement()) {
            assertThat(statement.getResultSet()).isNull();
            assertThat(statement.getUpdateCount()).isEqualTo(-1);
            assertThat(statement.getLargeUpdateCount()).isEqualTo(-1);
            assertThat(statement.getMoreResults()).isFalse();
            assertThatThrownBy(() -> statement.getMoreResults(Statement.KEEP_CURRENT_RESULT))
                    .isInstanceOf(SQLException.class).hasMessageContaining("CLOSE_CURRENT_RESULT");
        }
    }

    @Test
    void afterExecuteUpdateTheResultsAreReadAndTheStatementGoesOn() throws Exception {
        try (Connection connection = Db.open(dir.resolve("update.db")); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("CREATE TABLE t(v)")).isZero();
            assertThat(statement.executeUpdate("INSERT INTO t VALUES (1), (2)")).isEqualTo(2);
            assertThat(statement.getUpdateCount()).isEqualTo(-1);
            assertThat(statement.getResultSet()).isNull();
            assertThat(statement.getMoreResults()).isFalse();

            assertThat(statement.execute("SELECT count(*) FROM t")).isTrue();
            try (ResultSet rows = statement.getResultSet()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
            assertThat(statement.execute("DELETE FROM t WHERE v = 1")).isFalse();
            assertThat(statement.getUpdateCount()).isEqualTo(1);
        }
    }

    @Test
    void aClosedStatementSaysSo() throws Exception {
        try (Connection connection = Db.open(dir.resolve("closed.db"))) {
            Statement statement = connection.createStatement();
            statement.close();
            assertThatThrownBy(statement::getUpdateCount).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            assertThatThrownBy(statement::getResultSet).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            assertThatThrownBy(statement::getMoreResults).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        }
    }
}
