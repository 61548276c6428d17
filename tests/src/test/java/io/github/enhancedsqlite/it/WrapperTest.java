package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/**
 * Issue point 6: the JDBC objects the application holds. Where behaviour is sqlite-jdbc's, the same operations
 * run on plain {@code jdbc:sqlite:} against another file and the results are compared.
 */
class WrapperTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Connection ours() throws SQLException {
        return Db.open(dir.resolve("ours.db"));
    }

    private Connection plain() throws SQLException {
        return Db.plain(dir.resolve("plain.db"));
    }

    @Test
    void backReferencesLeadToTheObjectsTheApplicationHolds() throws SQLException {
        try (Connection connection = ours()) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('x')");
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT v FROM t")) {
                assertThat(statement.getConnection()).isSameAs(connection);
                assertThat(result.getStatement()).isSameAs(statement);
                assertThat(statement.execute("SELECT v FROM t")).isTrue();
                assertThat(statement.getResultSet().getStatement()).isSameAs(statement);
            }
            try (PreparedStatement prepared = connection.prepareStatement("SELECT v FROM t WHERE id = ?")) {
                prepared.setInt(1, 1);
                try (ResultSet result = prepared.executeQuery()) {
                    assertThat(prepared.getConnection()).isSameAs(connection);
                    assertThat(result.getStatement()).isSameAs(prepared);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, "y");
                insert.executeUpdate();
                assertThat(insert.getConnection()).isSameAs(connection);
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    assertThat(keys.getStatement()).isSameAs(insert);
                }
            }
            DatabaseMetaData metaData = connection.getMetaData();
            assertThat(metaData.getConnection()).isSameAs(connection);
        }
    }

    @Test
    void statementsThatReturnNoResultReturnNullNotAWrapper() throws SQLException {
        try (Connection connection = ours(); Statement statement = connection.createStatement()) {
            assertThat(statement.execute("CREATE TABLE t(x)")).isFalse();
            assertThat(statement.getResultSet()).isNull();
        }
    }

    @Test
    void unwrapGivesASqliteJdbcConnectionAndItsExtrasWork() throws SQLException {
        try (Connection connection = ours()) {
            assertThat(connection.isWrapperFor(SQLiteConnection.class)).isTrue();
            // the application's connection is one itself (sqlite-jdbc's helpers take it as it is)
            SQLiteConnection physical = connection.unwrap(SQLiteConnection.class);
            assertThat(physical).isSameAs(connection);
            assertThat(physical.isClosed()).isFalse();

            Function.create(physical, "twice", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(value_long(0) * 2);
                }
            });

            assertThat(Db.queryLong(connection, "SELECT twice(21)")).isEqualTo(42);
            try (PreparedStatement prepared = connection.prepareStatement("SELECT twice(?)")) {
                prepared.setLong(1, 50);
                try (ResultSet result = prepared.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getLong(1)).isEqualTo(100);
                }
            }
        }
    }

    @Test
    void generatedKeysAreTheRowidAsInSqliteJdbc() throws SQLException {
        try (Connection ours = ours(); Connection plain = plain()) {
            assertThat(generatedKeys(ours)).isEqualTo(generatedKeys(plain)).containsExactly(1L, 2L, 10L, 11L);
        }
    }

    private static List<Long> generatedKeys(Connection connection) throws SQLException {
        Db.execute(connection, "CREATE TABLE k(id INTEGER PRIMARY KEY, v TEXT)");
        List<Long> keys = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO k(v) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            for (String v : new String[] {"a", "b"}) {
                insert.setString(1, v);
                assertThat(insert.executeUpdate()).isEqualTo(1);
                try (ResultSet generated = insert.getGeneratedKeys()) {
                    while (generated.next()) {
                        keys.add(generated.getLong(1));
                    }
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO k(id, v) VALUES (10, 'c')", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet generated = statement.getGeneratedKeys()) {
                while (generated.next()) {
                    keys.add(generated.getLong(1));
                }
            }
            statement.executeUpdate("INSERT INTO k(v) VALUES ('d')", Statement.RETURN_GENERATED_KEYS);
            try (ResultSet generated = statement.getGeneratedKeys()) {
                while (generated.next()) {
                    keys.add(generated.getLong(1));
                }
            }
        }
        return keys;
    }

    @Test
    void batchesCountAsInSqliteJdbc() throws SQLException {
        try (Connection ours = ours(); Connection plain = plain()) {
            assertThat(batches(ours)).isEqualTo(batches(plain)).isEqualTo("[1, 1, 1]|[1, 2]|4");
        }
    }

    private static String batches(Connection connection) throws SQLException {
        Db.execute(connection, "CREATE TABLE b(id INTEGER PRIMARY KEY, v INTEGER)");
        int[] prepared;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO b(v) VALUES (?)")) {
            for (int v = 1; v <= 3; v++) {
                insert.setInt(1, v);
                insert.addBatch();
            }
            prepared = insert.executeBatch();
        }
        int[] plain;
        try (Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO b(v) VALUES (10)");
            statement.addBatch("UPDATE b SET v = v + 1 WHERE v < 3");
            plain = statement.executeBatch();
        }
        return Arrays.toString(prepared) + "|" + Arrays.toString(plain) + "|" + Db.queryLong(connection, "SELECT count(*) FROM b WHERE v > 1");
    }

    @Test
    void savepointsBehaveAsInSqliteJdbc() throws SQLException {
        try (Connection ours = ours(); Connection plain = plain()) {
            assertThat(savepoints(ours)).isEqualTo(savepoints(plain)).containsExactly("a", "c", "e");
        }
    }

    private static List<String> savepoints(Connection connection) throws SQLException {
        Db.execute(connection, "CREATE TABLE s(v TEXT)");
        connection.setAutoCommit(false);
        Db.execute(connection, "INSERT INTO s VALUES ('a')");
        Savepoint first = connection.setSavepoint();
        Db.execute(connection, "INSERT INTO s VALUES ('b')");
        connection.rollback(first);
        Db.execute(connection, "INSERT INTO s VALUES ('c')");
        Savepoint named = connection.setSavepoint("named");
        Db.execute(connection, "INSERT INTO s VALUES ('d')");
        connection.rollback(named);
        connection.releaseSavepoint(named);
        Savepoint kept = connection.setSavepoint("kept");
        Db.execute(connection, "INSERT INTO s VALUES ('e')");
        connection.releaseSavepoint(kept);
        connection.commit();
        connection.setAutoCommit(true);
        return Db.queryStrings(connection, "SELECT v FROM s ORDER BY rowid");
    }

    @Test
    void rollbackAndCommitBehaveAsInSqliteJdbc() throws SQLException {
        try (Connection ours = ours(); Connection plain = plain()) {
            assertThat(transactions(ours)).isEqualTo(transactions(plain)).containsExactly("committed");
        }
    }

    private static List<String> transactions(Connection connection) throws SQLException {
        Db.execute(connection, "CREATE TABLE tx(v TEXT)");
        assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class); // auto-commit mode
        connection.setAutoCommit(false);
        Db.execute(connection, "INSERT INTO tx VALUES ('rolled back')");
        connection.rollback();
        Db.execute(connection, "INSERT INTO tx VALUES ('committed')");
        connection.commit();
        connection.setAutoCommit(true);
        return Db.queryStrings(connection, "SELECT v FROM tx");
    }

    @Test
    void metaDataReportsSqliteSoFrameworksPickTheDialect() throws SQLException {
        try (Connection connection = ours(); Connection plain = plain()) {
            Db.execute(connection, "CREATE TABLE listed(x)");
            DatabaseMetaData metaData = connection.getMetaData();
            assertThat(metaData.getDatabaseProductName()).isEqualTo("SQLite");
            assertThat(metaData.getDatabaseProductVersion()).isEqualTo(plain.getMetaData().getDatabaseProductVersion());
            assertThat(metaData.getDriverName()).isEqualTo(plain.getMetaData().getDriverName());
            try (ResultSet tables = metaData.getTables(null, null, "listed", null)) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString("TABLE_NAME")).isEqualTo("listed");
            }
        }
    }

    @Test
    void storedProceduresAreRefusedClearly() throws SQLException {
        try (Connection connection = ours()) {
            assertThatThrownBy(() -> connection.prepareCall("CALL x()"))
                    .isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("prepareStatement");
        }
    }
}
