package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteException;

/**
 * Issue point 3: busy and locked errors are retried with backoff where that is safe (auto-commit statements,
 * BEGIN, COMMIT) and turned into a 40001 rollback inside a transaction. The lock is really held, by a plain
 * sqlite-jdbc connection standing in for another process; the driver runs with busy_timeout=0 so every
 * wait is the driver's own retry. The holder lets go only once the driver thread is parked between attempts.
 */
class BusyRetryTest extends TxDatabaseTest {

    private String url(String query) throws SQLException {
        return database("busy.db", query, "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0)",
                "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)",
                "INSERT OR IGNORE INTO t(v) VALUES ('seed')");
    }

    private static final String PATIENT = "busy_timeout=0&busyRetryAttempts=1000&busyRetryBackoff=20&busyRetryMaxWait=60000";

    /**
     * The premise of every test here: the busy_timeout asked for is the one in force on the pooled connection, so
     * with busy_timeout=0 each wait is the driver's own retry and not SQLite's busy handler.
     */
    @Test
    void theBusyTimeoutAskedForIsTheOneInForce() throws Exception {
        String url = url("busy_timeout=0");
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(TxDb.queryLong(connection, "PRAGMA busy_timeout")).isZero();
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = DriverManager.getConnection(TxDb.url(file, "busy_timeout=1234"))) {
            assertThat(TxDb.queryLong(connection, "PRAGMA busy_timeout")).isEqualTo(1234);
        }
        EnhancedSqlite.shutdown();
        try (Connection connection = DriverManager.getConnection(TxDb.url(file, ""))) {
            assertThat(TxDb.queryLong(connection, "PRAGMA busy_timeout"))
                    .isEqualTo(io.github.enhancedsqlite.config.Profile.BUSY_TIMEOUT_MILLIS);
        }
    }

    @Test
    void anAutoCommitInsertIsRetriedUntilTheOtherProcessLetsGoAndAppliedOnce() throws Exception {
        String url = url(PATIENT);
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            TxDb.execute(holder, "BEGIN IMMEDIATE");

            TxDb.Async<Integer> insert = TxDb.async("retried insert",
                    () -> TxDb.update(connection, "INSERT INTO t(v) VALUES ('retried')"));
            insert.awaitBackingOffAfterBusy(); // failed at least once and is backing off
            assertThat(insert.isDone()).isFalse();
            TxDb.execute(holder, "COMMIT");

            assertThat(insert.join()).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v = 'retried'")).isEqualTo(1);
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t")).isEqualTo(2);
    }

    @Test
    void aPreparedAutoCommitUpdateIsRetriedWithItsParametersAndAppliedOnce() throws Exception {
        String url = url(PATIENT);
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file);
             PreparedStatement update = connection.prepareStatement("UPDATE counter SET n = n + ? WHERE id = ?")) {
            TxDb.execute(holder, "BEGIN IMMEDIATE");
            update.setInt(1, 5);
            update.setInt(2, 1);

            TxDb.Async<Integer> retried = TxDb.async("retried update", update::executeUpdate);
            retried.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");

            assertThat(retried.join()).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(5);
    }

    @Test
    void whenRetriesRunOutTheErrorNamesDatabaseAttemptsAndTimeAndNothingIsApplied() throws Exception {
        String url = url("busy_timeout=0&busyRetryAttempts=3&busyRetryBackoff=1&busyRetryMaxWait=60000");
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            TxDb.execute(holder, "BEGIN IMMEDIATE");

            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO t(v) VALUES ('never')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(file.getFileName().toString())
                    .hasMessageContaining("3 attempts")
                    .hasMessageMatching("(?s).*over \\d+ ms.*")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode() & 0xFF).isEqualTo(5));

            TxDb.execute(holder, "ROLLBACK");
            // the connection is fine afterwards
            assertThat(TxDb.update(connection, "INSERT INTO t(v) VALUES ('later')")).isEqualTo(1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v = 'never'")).isZero();
    }

    @Test
    void busyRetryMaxWaitEndsRetryingWhateverAttemptsRemain() throws Exception {
        String url = url("busy_timeout=0&busyRetryAttempts=1000&busyRetryBackoff=5&busyRetryMaxWait=200");
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            TxDb.execute(holder, "BEGIN IMMEDIATE");
            assertThatThrownBy(() -> TxDb.update(connection, "INSERT INTO t(v) VALUES ('never')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(file.getFileName().toString())
                    .hasMessageContaining("busyRetryMaxWait=200");
            TxDb.execute(holder, "ROLLBACK");
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v = 'never'")).isZero();
    }

    @Test
    void beginIsRetriedUntilTheOtherProcessLetsGo() throws Exception {
        String url = url(PATIENT);
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            TxDb.execute(holder, "BEGIN IMMEDIATE", "UPDATE counter SET n = 100");
            connection.setAutoCommit(false);

            TxDb.Async<Long> transaction = TxDb.async("retried begin", () -> {
                long n = TxDb.queryLong(connection, "SELECT n FROM counter"); // BEGIN IMMEDIATE happens here
                TxDb.update(connection, "UPDATE counter SET n = " + (n + 1));
                connection.commit();
                return n;
            });
            transaction.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");

            assertThat(transaction.join()).as("read after the other commit, inside the same transaction").isEqualTo(100);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(101);
    }

    /**
     * In rollback-journal mode COMMIT needs the exclusive lock, which another process's open read transaction
     * withholds: COMMIT reports busy, and is retried, until the reader ends.
     */
    @Test
    void commitIsRetriedUntilAReaderInAnotherProcessLetsGo() throws Exception {
        String url = url(PATIENT + "&journal_mode=delete");
        try (Connection connection = DriverManager.getConnection(url); Connection reader = TxDb.witness(file)) {
            connection.setAutoCommit(false);
            TxDb.update(connection, "INSERT INTO t(v) VALUES ('committed late')");
            reader.setAutoCommit(false);
            assertThat(TxDb.queryLong(reader, "SELECT count(*) FROM t")).isEqualTo(1); // holds a shared lock

            TxDb.Async<Void> commit = TxDb.async("retried commit", () -> {
                connection.commit();
                return null;
            });
            commit.awaitBackingOffAfterBusy();
            assertThat(commit.isDone()).isFalse();
            reader.commit();

            commit.join();
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v = 'committed late'")).isEqualTo(1);
    }

    /**
     * BUSY (5) at a reader's first write cannot be retried statement by statement: the reader waits for the other
     * process to let go of the write lock, and when that process changed what the reader read, the whole unit must run
     * again: 40001, with the original busy error as its cause.
     */
    @Test
    void busyInsideATransactionRollsBackAndRaises40001WithTheOriginalCause() throws Exception {
        String url = url(PATIENT + "&transaction_mode=DEFERRED");
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            connection.setAutoCommit(false);
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isZero(); // BEGIN DEFERRED, a read
            TxDb.execute(holder, "BEGIN IMMEDIATE", "UPDATE counter SET n = 100");

            TxDb.Async<Integer> write = TxDb.async("first write", () -> TxDb.update(connection,
                    "UPDATE counter SET n = n + 1"));
            write.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");
            SQLException failure = (SQLException) write.failure();

            assertThat((Throwable) failure).isInstanceOf(SQLTransactionRollbackException.class);
            assertThat(failure.getSQLState()).isEqualTo("40001");
            assertThat(failure.getCause()).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure.getCause()).getErrorCode() & 0xFF).isEqualTo(5);
            // rolled back for real: the connection holds no lock and no snapshot
            assertThat(TxDb.writeLockIsFree(file)).isTrue();
            // until the application acknowledges, the connection says why instead of running more of the unit
            assertThatThrownBy(() -> TxDb.queryLong(connection, "SELECT n FROM counter"))
                    .isInstanceOf(SQLTransactionRollbackException.class);
            connection.rollback();
            TxDb.update(connection, "UPDATE counter SET n = n + 1");
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(101);
    }

    /** The same first write behind another process's lock goes on once that process committed nothing it read. */
    @Test
    void aReadersFirstWriteBehindAnotherProcessWaitsAndGoesOnWhenItsReadsStillHold() throws Exception {
        String url = url(PATIENT + "&transaction_mode=DEFERRED");
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file)) {
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            connection.setAutoCommit(false);
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isZero();
            TxDb.execute(holder, "BEGIN IMMEDIATE", "INSERT INTO t(v) VALUES ('other row')");

            TxDb.Async<Integer> write = TxDb.async("first write", () -> TxDb.update(connection,
                    "UPDATE counter SET n = n + 1"));
            write.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");
            assertThat(write.join()).isEqualTo(1);
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(1);
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v = 'other row'")).isEqualTo(1);
    }

    @Test
    void busySnapshotInsideADeferredTransactionRaises40001WithExtendedCode517() throws Exception {
        String url = url("transaction_mode=DEFERRED");
        try (Connection connection = DriverManager.getConnection(url); Connection other = TxDb.witness(file)) {
            TxDb.learnReadOnly(connection, "SELECT n FROM counter");
            connection.setAutoCommit(false);
            assertThat(TxDb.queryLong(connection, "SELECT n FROM counter")).isZero(); // snapshot taken
            TxDb.update(other, "UPDATE counter SET n = n + 100"); // another process commits after our read

            SQLException failure = catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = n + 1"));

            assertThat((Throwable) failure).isInstanceOf(SQLTransactionRollbackException.class);
            assertThat(failure.getSQLState()).isEqualTo("40001");
            // sqlite-jdbc reports the primary code (5) as getErrorCode and the extended one as its result code
            assertThat(failure.getCause()).isInstanceOf(SQLiteException.class);
            assertThat(((SQLiteException) failure.getCause()).getResultCode().code).isEqualTo(517);
            connection.rollback();
            assertThat(TxDb.update(connection, "UPDATE counter SET n = n + 1")).isEqualTo(1);
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(101);
    }

    /**
     * SQLITE_LOCKED_SHAREDCACHE (262): in a shared-cache memory database a reader is locked out of a table
     * another connection is writing. An auto-commit read is retried until the writer commits.
     */
    @Test
    void lockedSharedCacheIsRetriedForAnAutoCommitStatement() throws Exception {
        String url = "jdbc:enhanced-sqlite:file:tx-locked-" + System.nanoTime()
                + "?mode=memory&cache=shared&busyRetryAttempts=1000&busyRetryBackoff=20&busyRetryMaxWait=60000";
        try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
            TxDb.execute(writer, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                    "INSERT INTO counter VALUES (1, 1)");
            writer.setAutoCommit(false);
            TxDb.update(writer, "UPDATE counter SET n = 2");

            TxDb.Async<Long> read = TxDb.async("locked reader", () -> TxDb.queryLong(reader, "SELECT n FROM counter"));
            read.awaitBackingOffAfterBusy();
            assertThat(read.isDone()).isFalse();
            writer.commit();

            assertThat(read.join()).isEqualTo(2);
        }
    }

    /** The same lock with a single attempt allowed: the error seen is SQLITE_LOCKED_SHAREDCACHE, classified as busy. */
    @Test
    void lockedSharedCacheIsClassifiedByItsExtendedCode() throws Exception {
        String url = "jdbc:enhanced-sqlite:file:tx-locked-once-" + System.nanoTime()
                + "?mode=memory&cache=shared&busyRetryAttempts=1";
        try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
            TxDb.execute(writer, "CREATE TABLE counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                    "INSERT INTO counter VALUES (1, 1)");
            writer.setAutoCommit(false);
            TxDb.update(writer, "UPDATE counter SET n = 2");

            SQLException failure = catchSql(() -> TxDb.queryLong(reader, "SELECT n FROM counter"));

            assertThat((Throwable) failure).hasMessageContaining("1 attempts");
            assertThat(failure.getCause()).isInstanceOf(SQLiteException.class);
            assertThat(((SQLiteException) failure.getCause()).getResultCode().code).isEqualTo(262);
            writer.commit();
            assertThat(TxDb.queryLong(reader, "SELECT n FROM counter")).isEqualTo(2);
        }
    }

    @Test
    void aBatchInAutoCommitWaitsAtBeginAndIsAppliedExactlyOnce() throws Exception {
        String url = url(PATIENT);
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            for (String v : new String[] {"b1", "b2", "b3"}) {
                insert.setString(1, v);
                insert.addBatch();
            }
            TxDb.execute(holder, "BEGIN IMMEDIATE");

            TxDb.Async<int[]> batch = TxDb.async("retried batch", insert::executeBatch);
            batch.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");

            assertThat(batch.join()).containsExactly(1, 1, 1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v LIKE 'b%'")).isEqualTo(3);
    }

    /**
     * With transaction_mode=DEFERRED the batch's BEGIN takes no lock, so the busy error comes from its first
     * insert. It is still an auto-commit call that changed nothing, so it must be retried like one (it runs as one
     * transaction, so running it again cannot apply anything twice).
     */
    @Test
    void aBatchInAutoCommitUnderDeferredModeIsRetriedToo() throws Exception {
        String url = url(PATIENT + "&transaction_mode=DEFERRED");
        try (Connection connection = DriverManager.getConnection(url); Connection holder = TxDb.witness(file);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
            for (String v : new String[] {"d1", "d2"}) {
                insert.setString(1, v);
                insert.addBatch();
            }
            TxDb.execute(holder, "BEGIN IMMEDIATE");

            TxDb.Async<int[]> batch = TxDb.async("deferred batch", insert::executeBatch);
            batch.awaitBackingOffAfterBusy();
            TxDb.execute(holder, "COMMIT");

            assertThat(batch.join()).containsExactly(1, 1);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM t WHERE v LIKE 'd%'")).isEqualTo(2);
    }

    @Test
    void aBatchInAutoCommitIsAllOrNothing() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO t(v) VALUES ('x1')");
            statement.addBatch("INSERT INTO t(v) VALUES ('x2')");
            statement.addBatch("INSERT INTO t(v) VALUES ('seed')"); // violates UNIQUE
            assertThatThrownBy(statement::executeBatch).isInstanceOf(SQLException.class);

            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(TxDb.writeLockIsFree(file)).isTrue();
            assertThat(TxDb.update(connection, "INSERT INTO t(v) VALUES ('after')")).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(v ORDER BY id) FROM t")).isEqualTo("seed,after");
    }

    private static SQLException catchSql(SqlCall call) {
        try {
            call.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected an SQLException");
    }

    @FunctionalInterface
    private interface SqlCall {
        void run() throws SQLException;
    }
}
