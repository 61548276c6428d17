package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every way an application ends a transaction, run by several threads through a pool smaller than they are, so each
 * physical connection passes from one path to another: JDBC's commit() and rollback() and savepoints, the
 * application's own BEGIN, COMMIT and ROLLBACK (with a BEGIN failing as nested), a savepoint released in auto-commit
 * mode, batches whole or failing, scripts, a constraint and a trigger that make SQLite roll back, and a close in the
 * middle. Afterwards exactly the rows whose transactions were reported committed are in the file. A transaction state
 * the driver got wrong shows up here as a lost or a phantom row, or as a thread waiting for a turn nobody gives back.
 */
class TransactionPathsTest extends TxDatabaseTest {

    private static final int THREADS = 4;
    private static final int UNITS_PER_THREAD = 600;

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, String> committed = new ConcurrentHashMap<>();
    private final Map<Long, String> rolledBack = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private String url;

    @Test
    void exactlyTheTransactionsReportedCommittedAreInTheFile() throws Exception {
        url = database("paths.db", "maximumPoolSize=2&writerTimeout=20000",
                "CREATE TABLE ops(id INTEGER PRIMARY KEY, body TEXT)",
                "CREATE TRIGGER guard BEFORE INSERT ON ops WHEN new.body = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'boom');"
                        + " END");
        List<TxDb.Async<Void>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(t);
            threads.add(TxDb.async("paths-" + t, () -> {
                for (int unit = 0; unit < UNITS_PER_THREAD; unit++) {
                    runOne(random.nextInt(9), random.nextInt(3));
                }
                return null;
            }));
        }
        for (TxDb.Async<Void> thread : threads) {
            thread.join();
        }

        Set<Long> stored = new HashSet<>();
        try (Connection plain = TxDb.witness(file); Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM ops")) {
            while (rows.next()) {
                stored.add(rows.getLong(1));
            }
        }
        assertThat(unexpected).as("failures no path should meet").isEmpty();
        assertThat(committed.size()).isGreaterThan(THREADS * UNITS_PER_THREAD / 2);
        assertThat(committed.entrySet()).as("reported committed, not in the file")
                .filteredOn(entry -> !stored.contains(entry.getKey())).isEmpty();
        assertThat(rolledBack.entrySet()).as("rolled back, yet in the file")
                .filteredOn(entry -> stored.contains(entry.getKey())).isEmpty();
    }

    private void runOne(int path, int ending) throws SQLException {
        List<Long> written = new ArrayList<>();
        Connection connection = DriverManager.getConnection(url);
        try {
            switch (path) {
                case 0 -> jdbcTransaction(connection, ending, written);
                case 1 -> ownBeginCommit(connection, ending, written);
                case 2 -> record(committed, List.of(insert(connection)), "auto-commit");
                case 3 -> savepointFromAutoCommit(connection, ending, written);
                case 4 -> orRollbackInManualMode(connection, written);
                case 5 -> batch(connection, ending == 0);
                case 6 -> script(connection, ending == 0);
                case 7 -> ownBeginAfterOwnCommitInManualMode(connection, ending, written);
                default -> raiseRollbackInOwnBegin(connection, written);
            }
        } catch (SQLException e) {
            unexpected.add("path " + path + ": " + e);
        } finally {
            connection.close();
        }
    }

    private void jdbcTransaction(Connection connection, int ending, List<Long> written) throws SQLException {
        connection.setAutoCommit(false);
        written.add(insert(connection));
        Savepoint savepoint = connection.setSavepoint();
        long undone = insert(connection);
        connection.rollback(savepoint);
        record(rolledBack, List.of(undone), "rollback(savepoint)");
        written.add(insert(connection));
        switch (ending) {
            case 0 -> {
                connection.commit();
                record(committed, written, "commit()");
            }
            case 1 -> {
                connection.rollback();
                record(rolledBack, written, "rollback()");
            }
            default -> {
                connection.close();
                record(rolledBack, written, "closed in the transaction");
            }
        }
    }

    private void ownBeginCommit(Connection connection, int ending, List<Long> written) throws SQLException {
        execute(connection, ending == 0 ? "BEGIN IMMEDIATE" : "BEGIN");
        written.add(insert(connection));
        try {
            execute(connection, "BEGIN");
            unexpected.add("a nested BEGIN passed");
        } catch (SQLException nested) {
            // it leaves the open transaction open
        }
        written.add(insert(connection));
        switch (ending) {
            case 0 -> {
                execute(connection, "COMMIT");
                record(committed, written, "own COMMIT");
            }
            case 1 -> {
                execute(connection, "ROLLBACK");
                record(rolledBack, written, "own ROLLBACK");
            }
            default -> {
                connection.close();
                record(rolledBack, written, "closed after own BEGIN");
            }
        }
    }

    private void savepointFromAutoCommit(Connection connection, int ending, List<Long> written) throws SQLException {
        Savepoint outer = connection.setSavepoint("outer");
        written.add(insert(connection));
        if (ending == 0) {
            connection.releaseSavepoint(outer);
            record(committed, written, "released savepoint set in auto-commit mode");
        } else {
            connection.rollback(outer);
            connection.rollback();
            record(rolledBack, written, "rolled back savepoint set in auto-commit mode");
        }
    }

    private void orRollbackInManualMode(Connection connection, List<Long> written) throws SQLException {
        connection.setAutoCommit(false);
        long id = insert(connection);
        try {
            execute(connection, "INSERT OR ROLLBACK INTO ops(id, body) VALUES (" + id + ", 'again')");
            unexpected.add("a duplicate key passed");
        } catch (SQLException rolledBackBySqlite) {
            record(rolledBack, List.of(id), "INSERT OR ROLLBACK");
        }
        connection.rollback();
        written.add(insert(connection));
        connection.commit();
        record(committed, written, "commit() after rollback()");
    }

    private void batch(Connection connection, boolean failing) throws SQLException {
        List<Long> entries = List.of(ids.incrementAndGet(), ids.incrementAndGet(), ids.incrementAndGet());
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ops(id, body) VALUES (?, 'batch')")) {
            for (long id : entries) {
                insert.setLong(1, id);
                insert.addBatch();
            }
            if (failing) {
                insert.setLong(1, entries.get(0));
                insert.addBatch();
            }
            try {
                insert.executeBatch();
                record(committed, entries, "batch");
            } catch (SQLException e) {
                if (!failing) {
                    throw e;
                }
                record(rolledBack, entries, "failed auto-commit batch");
            }
        }
    }

    private void script(Connection connection, boolean commit) throws SQLException {
        long first = ids.incrementAndGet();
        long second = ids.incrementAndGet();
        TxDb.update(connection, "BEGIN; INSERT INTO ops(id, body) VALUES (" + first + ", 'script');"
                + " INSERT INTO ops(id, body) VALUES (" + second + ", 'script'); " + (commit ? "COMMIT" : "ROLLBACK"));
        record(commit ? committed : rolledBack, List.of(first, second), "script");
    }

    private void ownBeginAfterOwnCommitInManualMode(Connection connection, int ending, List<Long> written)
            throws SQLException {
        connection.setAutoCommit(false);
        long first = insert(connection);
        execute(connection, "COMMIT");
        record(committed, List.of(first), "own COMMIT in manual mode");
        execute(connection, "BEGIN");
        written.add(insert(connection));
        if (ending == 0) {
            execute(connection, "COMMIT");
            record(committed, written, "own BEGIN and COMMIT in manual mode");
        } else {
            connection.rollback();
            record(rolledBack, written, "rollback() of own BEGIN in manual mode");
        }
    }

    private void raiseRollbackInOwnBegin(Connection connection, List<Long> written) throws SQLException {
        execute(connection, "BEGIN");
        written.add(insert(connection));
        try {
            execute(connection, "INSERT INTO ops(id, body) VALUES (" + ids.incrementAndGet() + ", 'boom')");
            unexpected.add("RAISE(ROLLBACK) passed");
        } catch (SQLException rolledBackBySqlite) {
            record(rolledBack, written, "RAISE(ROLLBACK)");
        }
        record(committed, List.of(insert(connection)), "auto-commit after SQLite's rollback");
    }

    private long insert(Connection connection) throws SQLException {
        long id = ids.incrementAndGet();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ops(id, body) VALUES (?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, "{\"op\":" + id + ",\"memo\":\"" + "an agent remembers this ".repeat(20) + "\"}");
            insert.executeUpdate();
        }
        return id;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void record(Map<Long, String> outcome, List<Long> rows, String how) {
        for (long id : rows) {
            outcome.put(id, how);
        }
    }
}
