package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The application's own BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE, run as SQL beside the JDBC calls, in the
 * sequences a differential run against plain sqlite-jdbc found to end differently: the driver must know whether a
 * transaction is open exactly when SQLite does, or the pool hands an open transaction to the next borrower.
 */
class ApplicationTransactionSqlTest extends TxDatabaseTest {

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)";
    private static final String CONTENTS = "SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY id)";

    /**
     * A BEGIN that fails because one is already open leaves that transaction open. The driver took the failure for
     * the end of it, so the lease's end did not roll it back, and the next borrower's auto-commit write went into it
     * and was never committed.
     */
    @Test
    void aNestedBeginThatFailsLeavesTheOpenTransactionToBeRolledBackAtTheLeasesEnd() throws Exception {
        String url = database("nested.db", "", SCHEMA);
        try (Connection connection = DriverManager.getConnection(url)) {
            List<String> outcomes = run(connection, "BEGIN", "INSERT INTO t(v) VALUES ('a')", "BEGIN");
            assertThat(outcomes).containsExactly("ok", "ok", "failed: cannot start a transaction within a transaction");
            assertThat(TxDb.writeLockIsFree(file)).as("the first BEGIN's transaction is still open").isFalse();
        }
        assertThat(TxDb.writeLockIsFree(file)).as("the lease's end rolled it back").isTrue();
        try (Connection next = DriverManager.getConnection(url)) {
            TxDb.update(next, "INSERT INTO t(v) VALUES ('b')");
        }
        assertThat(TxDb.committedString(file, CONTENTS)).as("the next borrower's write committed").isEqualTo("b");
    }

    /**
     * In manual mode, after the application's own COMMIT or ROLLBACK, sqlite-jdbc has no transaction open until
     * commit() or rollback(), so the application's next BEGIN opens one; the driver began its own first and the BEGIN
     * failed as nested. A BEGIN right after setAutoCommit(false) still fails on both, where sqlite-jdbc has begun.
     */
    @Test
    void inManualModeABeginAfterTheApplicationsOwnCommitOrRollbackRunsAsOnSqliteJdbc() throws Exception {
        List<List<String>> scripts = List.of(
                List.of("INSERT INTO t(v) VALUES ('a')", "COMMIT", "BEGIN IMMEDIATE", "INSERT INTO t(v) VALUES ('b')",
                        "COMMIT", "BEGIN", "INSERT INTO t(v) VALUES ('c')", "ROLLBACK"),
                List.of("INSERT INTO t(v) VALUES ('a')", "ROLLBACK", "BEGIN", "INSERT INTO t(v) VALUES ('b')",
                        "BEGIN", "END"),
                List.of("BEGIN", "INSERT INTO t(v) VALUES ('a')", "COMMIT", "SAVEPOINT s",
                        "INSERT INTO t(v) VALUES ('b')", "RELEASE s"));
        for (int i = 0; i < scripts.size(); i++) {
            String url = database("manual" + i + ".db", "", SCHEMA);
            Path plainFile = dir.resolve("plain" + i + ".db");
            List<String> driverSteps;
            List<String> plainSteps;
            try (Connection driver = DriverManager.getConnection(url);
                 Connection plain = DriverManager.getConnection("jdbc:sqlite:" + plainFile)) {
                TxDb.execute(plain, SCHEMA);
                driver.setAutoCommit(false);
                plain.setAutoCommit(false);
                driverSteps = runWatched(driver, file, scripts.get(i));
                plainSteps = runWatched(plain, plainFile, scripts.get(i));
            }
            assertThat(driverSteps).as("script %d", i).isEqualTo(plainSteps);
            assertThat(TxDb.committedString(file, CONTENTS)).as("script %d", i)
                    .isEqualTo(TxDb.committedString(plainFile, CONTENTS));
            assertThat(TxDb.writeLockIsFree(file)).isTrue();
        }
    }

    /**
     * {@code INSERT OR ROLLBACK} (and {@code RAISE(ROLLBACK)} in a trigger) end the transaction inside SQLite. In
     * manual mode the driver did not notice: the application's next write ran outside any transaction and was
     * committed at once, where the application still counted on rollback(). Now the failure says the transaction was
     * rolled back, keeps SQLite's error code, and calls fail until rollback(), as after any rollback SQLite does itself.
     */
    @Test
    void aConstraintThatRollsTheTransactionBackIsSeenInManualMode() throws Exception {
        String url = database("or-rollback.db", "", "CREATE TABLE kv(k TEXT PRIMARY KEY)");
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            TxDb.update(connection, "INSERT INTO kv VALUES ('a')");

            assertThatThrownBy(() -> TxDb.update(connection, "INSERT OR ROLLBACK INTO kv VALUES ('a')"))
                    .isInstanceOf(SQLTransactionRollbackException.class)
                    .hasMessageContaining("SQLite rolled the transaction back")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode() & 0xFF).isEqualTo(19));
            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO kv VALUES ('b')"))
                    .isInstanceOf(SQLTransactionRollbackException.class);
            assertThat(TxDb.committed(file, "SELECT count(*) FROM kv")).as("nothing committed behind rollback()")
                    .isZero();

            connection.rollback();
            TxDb.update(connection, "INSERT INTO kv VALUES ('c')");
            assertThat(TxDb.committed(file, "SELECT count(*) FROM kv")).isZero();
            connection.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(k) FROM kv")).isEqualTo("c");
    }

    /**
     * In auto-commit mode, a transaction the application began with its own BEGIN and SQLite rolled back on its own
     * (here by {@code RAISE(ROLLBACK)}) ends for the driver too: it gives the writer turn back at once, where it kept
     * it until the lease ended while other connections' writers waited, and the statements after it run as on
     * sqlite-jdbc.
     */
    @Test
    void aTransactionOfTheApplicationsOwnBeginThatSqliteRolledBackGivesTheWriterTurnBack() throws Exception {
        String url = database("raise.db", "maximumPoolSize=2&writerTimeout=500", "CREATE TABLE kv(k TEXT PRIMARY KEY)",
                "CREATE TRIGGER guard BEFORE INSERT ON kv WHEN new.k = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'no'); END");
        try (Connection connection = DriverManager.getConnection(url);
             Connection other = DriverManager.getConnection(url)) {
            TxDb.execute(connection, "BEGIN", "INSERT INTO kv VALUES ('a')");
            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO kv VALUES ('boom')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no");

            TxDb.update(other, "INSERT INTO kv VALUES ('other')"); // refused after writerTimeout if the turn were kept
            TxDb.update(connection, "INSERT INTO kv VALUES ('b')");
            assertThatThrownBy(() -> TxDb.execute(connection, "COMMIT")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no transaction is active");
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(k) FROM (SELECT k FROM kv ORDER BY k)"))
                .isEqualTo("b,other");
    }

    /**
     * A transaction of the application's own BEGIN that the driver rolls back (busy: another connection committed
     * after its snapshot) fails every call until acknowledged. In auto-commit mode there is no rollback() to call,
     * and the application's own ROLLBACK failed with the same reason, so the connection stayed unusable until closed.
     * Its own ROLLBACK, COMMIT or END now acknowledges it, failing once with the reason.
     */
    @Test
    void inAutoCommitModeTheApplicationsOwnRollbackAcknowledgesATransactionTheDriverRolledBack() throws Exception {
        String url = database("busy.db", "", SCHEMA);
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.execute(connection, "BEGIN");
            assertThat(TxDb.queryLong(connection, "SELECT count(*) FROM t")).isZero(); // the snapshot
            try (Connection plain = TxDb.witness(file)) {
                TxDb.update(plain, "INSERT INTO t(v) VALUES ('plain')"); // another process's commit after it
            }
            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO t(v) VALUES ('mine')"))
                    .isInstanceOf(SQLTransactionRollbackException.class);
            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO t(v) VALUES ('lost')"))
                    .as("until acknowledged").isInstanceOf(SQLTransactionRollbackException.class);

            assertThatThrownBy(() -> TxDb.execute(connection, "ROLLBACK"))
                    .isInstanceOf(SQLTransactionRollbackException.class).hasMessageContaining("rolled back");
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('again')");
        }
        assertThat(TxDb.committedString(file, CONTENTS)).isEqualTo("plain,again");
    }

    /** Each statement's outcome and what another connection sees committed after it. */
    private static List<String> runWatched(Connection connection, Path file, List<String> script) throws SQLException {
        List<String> steps = new ArrayList<>();
        for (String sql : script) {
            String outcome = run(connection, sql).get(0).replace("within a transaction", "nested");
            steps.add(sql + " -> " + outcome + ", committed " + TxDb.committedString(file, CONTENTS));
        }
        return steps;
    }

    private static List<String> run(Connection connection, String... script) {
        List<String> outcomes = new ArrayList<>();
        for (String sql : script) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                outcomes.add("ok");
            } catch (SQLException e) {
                String message = e.getMessage();
                outcomes.add("failed: " + message.substring(message.lastIndexOf('(') + 1, message.length() - 1));
            }
        }
        return outcomes;
    }

    private static List<String> run(Connection connection, String sql) {
        return run(connection, new String[] {sql});
    }
}
