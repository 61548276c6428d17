package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sqlite-jdbc's {@code Statement.executeUpdate(String)} runs every statement of its text (through sqlite3_exec), where
 * every other execute method runs the first. The driver looked at the first statement only, so whatever came after
 * it escaped the driver: a BEGIN left its transaction open on the pooled connection (the next borrower's writes were
 * never committed), a pragma, ATTACH or TEMP table reached the next borrower, and a read of a compressed column ran on
 * the stored envelopes (an UPDATE of one stored garbage).
 */
class ScriptUpdatesTest extends TxDatabaseTest {

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)";

    @Test
    void aTransactionABeginLaterInTheTextOpenedEndsWithTheLeaseAndTheNextBorrowersWritesCommit() throws Exception {
        String url = database("script.db", "", SCHEMA);
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('a'); BEGIN; INSERT INTO t(v) VALUES ('b')");
            assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).as("the BEGIN's transaction is open").isOne();
        }
        assertThat(TxDb.writeLockIsFree(file)).as("the lease's end rolled the transaction back").isTrue();
        try (Connection next = DriverManager.getConnection(url)) {
            TxDb.update(next, "INSERT INTO t(v) VALUES ('c')");
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY id)"))
                .as("'b' rolled back with its transaction, the next borrower's auto-commit write committed")
                .isEqualTo("a,c");
    }

    @Test
    void sessionStateALaterStatementOfTheTextChangesDoesNotReachTheNextBorrower() throws Exception {
        String url = database("script.db", "", SCHEMA);
        long foreignKeys;
        try (Connection fresh = DriverManager.getConnection(url)) {
            foreignKeys = TxDb.queryLong(fresh, "PRAGMA foreign_keys");
        }
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('a'); PRAGMA foreign_keys = " + (1 - foreignKeys));
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('b'); CREATE TEMP TABLE scratch(x)");
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('c'); ATTACH ':memory:' AS side");
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('d'); PRAGMA query_only = 1");
            assertThat(TxDb.queryLong(connection, "PRAGMA foreign_keys")).isEqualTo(1 - foreignKeys);
        }
        try (Connection next = DriverManager.getConnection(url)) {
            assertThat(TxDb.queryLong(next, "PRAGMA foreign_keys")).isEqualTo(foreignKeys);
            assertThat(TxDb.queryLong(next, "SELECT count(*) FROM sqlite_temp_master")).isZero();
            assertThat(TxDb.queryString(next, "SELECT group_concat(name) FROM pragma_database_list"))
                    .isEqualTo("main,temp");
            assertThat(TxDb.queryLong(next, "PRAGMA query_only")).isZero();
            TxDb.update(next, "INSERT INTO t(v) VALUES ('e')");
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(5);
    }

    @Test
    void aLaterStatementOfTheTextReadsCompressedValuesDecoded() throws Exception {
        String url = database("script.db", "", "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT)",
                "CREATE TABLE lengths(n INTEGER)");
        String body = "{\"note\":\"" + "an agent remembers this much text, ".repeat(40) + "\"}";
        try (Connection connection = DriverManager.getConnection(url)) {
            try (var insert = connection.prepareStatement("INSERT INTO docs(id, body) VALUES (?, ?)")) {
                for (int id = 1; id <= 2; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, body);
                    insert.executeUpdate();
                }
            }
            assertThat(TxDb.committed(file, "SELECT count(*) FROM docs WHERE typeof(body) = 'blob'"))
                    .as("stored compressed").isEqualTo(2);

            int changes = TxDb.update(connection, "INSERT INTO lengths VALUES (0);"
                    + " UPDATE docs SET body = upper(body) WHERE id = 1;"
                    + " INSERT INTO lengths SELECT length(body) FROM docs WHERE id = 2");

            assertThat(changes).isEqualTo(3);
            assertThat(TxDb.queryString(connection, "SELECT body FROM docs WHERE id = 1"))
                    .isEqualTo(body.toUpperCase());
            assertThat(TxDb.queryLong(connection, "SELECT max(n) FROM lengths")).isEqualTo(body.length());
        }
    }

    /**
     * The statements of a text as SQLite runs them, checked against plain sqlite-jdbc: semicolons inside a trigger's
     * body, quoted text and comments, empty statements, and the update count (sqlite-jdbc's change of
     * total_changes(): trigger rows included) of each executeUpdate form.
     */
    @Test
    void eachFormCountsAndChangesWhatPlainSqliteJdbcDoes() throws Exception {
        String url = database("script.db", "", SCHEMA);
        Path plainFile = dir.resolve("plain.db");
        List<String> scripts = List.of(
                "CREATE TABLE log(x); CREATE TRIGGER logged AFTER INSERT ON t BEGIN"
                        + " INSERT INTO log VALUES (new.v); INSERT INTO log VALUES (new.v || ';'); END;"
                        + " INSERT INTO t(v) VALUES ('x')",
                "INSERT INTO t(v) VALUES ('a;b'), (\"c\"); -- a comment; with a semicolon\n"
                        + " /* another; */ UPDATE t SET v = v || ';' WHERE v LIKE '%;%';;  ;",
                "CREATE TEMP TRIGGER gone AFTER DELETE ON t BEGIN SELECT CASE WHEN 1 THEN 0 END; END; DELETE FROM t"
                        + " WHERE v = 'x'; DROP TRIGGER gone",
                "INSERT INTO t(v) VALUES ('y'); SELECT 1; ");
        List<Long> driverCounts = new ArrayList<>();
        List<Long> plainCounts = new ArrayList<>();
        try (Connection driver = DriverManager.getConnection(url);
             Connection plain = DriverManager.getConnection("jdbc:sqlite:" + plainFile)) {
            TxDb.execute(plain, SCHEMA);
            for (int form = 0; form < 3; form++) {
                for (String script : scripts) {
                    driverCounts.add(run(driver, script, form));
                    plainCounts.add(run(plain, script, form));
                    TxDb.execute(driver, "DROP TABLE IF EXISTS log");
                    TxDb.execute(plain, "DROP TABLE IF EXISTS log");
                    TxDb.execute(driver, "DROP TRIGGER IF EXISTS logged");
                    TxDb.execute(plain, "DROP TRIGGER IF EXISTS logged");
                }
            }
            assertThat(driverCounts).isEqualTo(plainCounts).contains(3L, 4L);
            String contents = "SELECT group_concat(v, '|') FROM (SELECT v FROM t ORDER BY id)";
            assertThat(TxDb.queryString(driver, contents)).isEqualTo(TxDb.queryString(plain, contents));
        }
    }

    /** sqlite-jdbc reads its backup and restore commands from the whole text, and refuses one with more after it. */
    @Test
    void aBackupCommandIsReadFromTheWholeTextAsSqliteJdbcReadsIt() throws Exception {
        String url = database("script.db", "", SCHEMA);
        Path target = dir.resolve("copy.db");
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("backup to " + target + "; SELECT 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("syntax error");
            assertThat(target).doesNotExist();
            statement.executeUpdate("backup to " + target);
        }
        assertThat(TxDb.committed(target, "SELECT count(*) FROM t")).isZero();
    }

    private static long run(Connection connection, String script, int form) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return switch (form) {
                case 0 -> statement.executeUpdate(script);
                case 1 -> statement.executeLargeUpdate(script);
                default -> statement.executeUpdate(script, Statement.RETURN_GENERATED_KEYS);
            };
        }
    }
}
