package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A writing batch in auto-commit mode runs as one transaction of the driver's (DESIGN.md). A batch that holds its own
 * BEGIN, COMMIT or SAVEPOINT could not: the BEGIN failed inside the driver's transaction, where sqlite-jdbc runs each
 * entry in turn. And a batch that did run as one transaction and failed reported the entries before the failure as
 * done although they were rolled back with it.
 */
class BatchTransactionsTest extends TxDatabaseTest {

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS t(x INTEGER)";
    private static final String CONTENTS = "SELECT coalesce(group_concat(x), '') FROM (SELECT x FROM t ORDER BY rowid)";

    @Test
    void aBatchHoldingItsOwnTransactionControlRunsEntryByEntryAsOnSqliteJdbc() throws Exception {
        String url = database("batch.db", "", SCHEMA);
        Path plainFile = dir.resolve("plain.db");
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + plainFile)) {
            TxDb.execute(plain, SCHEMA);
        }
        // a pooled connection's changes() still counts its last borrower's last write, where a new plain connection's
        // is 0; SQLite reports it for BEGIN and SAVEPOINT too, so a batch that begins with one first sets it to 0
        String noRow = "DELETE FROM t WHERE x < 0";
        List<List<String>> batches = List.of(
                List.of("INSERT INTO t VALUES (1)", "BEGIN", "INSERT INTO t VALUES (2)"),
                List.of(noRow, "BEGIN", "INSERT INTO t VALUES (3)", "COMMIT", "INSERT INTO t VALUES (4)"),
                List.of(noRow, "SAVEPOINT s", "INSERT INTO t VALUES (5)", "RELEASE s", "INSERT INTO t VALUES (6)"),
                List.of(noRow, "BEGIN IMMEDIATE", "INSERT INTO t VALUES (7)", "ROLLBACK", "INSERT INTO t VALUES (8)"),
                List.of("INSERT INTO t VALUES (9)", "END", "INSERT INTO t VALUES (10)"));
        List<String> driverOutcomes = new ArrayList<>();
        List<String> plainOutcomes = new ArrayList<>();
        for (List<String> batch : batches) {
            driverOutcomes.add(run(url, batch) + " committed " + TxDb.committedString(file, CONTENTS));
            plainOutcomes.add(run("jdbc:sqlite:" + plainFile, batch) + " committed "
                    + TxDb.committedString(plainFile, CONTENTS));
        }
        assertThat(driverOutcomes).isEqualTo(plainOutcomes).startsWith("[1, 1, 1] committed 1");
        assertThat(TxDb.writeLockIsFree(file)).isTrue();
    }

    @Test
    void aBatchRunAsOneTransactionThatFailsReportsNoEntryDone() throws Exception {
        String url = database("batch.db", "", SCHEMA);
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            for (boolean large : new boolean[] {false, true}) {
                statement.addBatch("INSERT INTO t VALUES (1)");
                statement.addBatch("INSERT INTO missing VALUES (2)");
                statement.addBatch("INSERT INTO t VALUES (3)");
                BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class,
                        () -> {
                            if (large) {
                                statement.executeLargeBatch();
                            } else {
                                statement.executeBatch();
                            }
                        });
                assertThat(failure.getMessage()).contains("batch entry 1", "no such table: missing");
                assertThat(failure.getUpdateCounts()).containsOnly(Statement.EXECUTE_FAILED).hasSize(3);
                assertThat(failure.getLargeUpdateCounts()).containsOnly(Statement.EXECUTE_FAILED).hasSize(3);
                assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).as("rolled back as a whole").isZero();
            }
        }
    }

    /** The batch's update counts, or the failure's, on a connection of its own (closed after it). */
    private static String run(String url, List<String> batch) throws SQLException {
        String outcome;
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            for (String sql : batch) {
                statement.addBatch(sql);
            }
            try {
                outcome = Arrays.toString(statement.executeBatch());
            } catch (BatchUpdateException e) {
                outcome = "failed " + Arrays.toString(e.getUpdateCounts());
            }
        }
        return outcome;
    }
}
