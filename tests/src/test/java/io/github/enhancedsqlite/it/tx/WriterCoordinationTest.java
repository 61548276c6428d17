package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Issue point 2: inside one JVM, writers take turns in Java, readers never wait for them, waiting is bounded
 * by writerTimeout and served in arrival order, and a thread that would wait for itself fails at once.
 */
class WriterCoordinationTest extends TxDatabaseTest {

    private String url(String query) throws SQLException {
        return database("writers.db", query, "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 1)",
                "CREATE TABLE IF NOT EXISTS log(seq INTEGER PRIMARY KEY, who TEXT NOT NULL)");
    }

    @Test
    void readersReadTheLastCommittedValueWhileAWriteTransactionIsOpen() throws Exception {
        String url = url("maximumPoolSize=4&writerTimeout=600000");
        try (Connection writer = DriverManager.getConnection(url);
             Connection autoCommitReader = DriverManager.getConnection(url);
             Connection readOnlyReader = DriverManager.getConnection(url)) {
            writer.setAutoCommit(false);
            TxDb.update(writer, "UPDATE counter SET n = 2"); // holds the writer turn, uncommitted
            readOnlyReader.setReadOnly(true);
            readOnlyReader.setAutoCommit(false);

            CountDownLatch readersDone = new CountDownLatch(2);
            TxDb.Async<Long> plainRead = TxDb.async("auto-commit reader", () -> {
                try {
                    return TxDb.queryLong(autoCommitReader, "SELECT n FROM counter");
                } finally {
                    readersDone.countDown();
                }
            });
            TxDb.Async<Long> transactionRead = TxDb.async("read-only transaction reader", () -> {
                try {
                    long value = TxDb.queryLong(readOnlyReader, "SELECT n FROM counter");
                    readOnlyReader.commit();
                    return value;
                } finally {
                    readersDone.countDown();
                }
            });

            assertThat(readersDone.await(TxDb.HANG_GUARD_SECONDS, TimeUnit.SECONDS))
                    .as("readers finished while the writer holds its turn").isTrue();
            assertThat(plainRead.join()).isEqualTo(1);
            assertThat(transactionRead.join()).isEqualTo(1);
            // the writer really still held its transaction while they read
            assertThat(TxDb.writeLockIsFree(file)).isFalse();

            writer.commit();
            assertThat(TxDb.queryLong(autoCommitReader, "SELECT n FROM counter")).isEqualTo(2);
        }
    }

    /**
     * A reader that needs a new physical connection must not wait for the writer either. The database has a table
     * that is still empty (a schema just created): opening a connection then runs PRAGMA optimize=0x10002, which
     * wants the write lock for it, so the open fails with SQLITE_BUSY while a write transaction is open.
     */
    @Test
    void aReaderOpeningANewConnectionDoesNotWaitForAWriteTransaction() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.execute(connection, "CREATE TABLE IF NOT EXISTS fresh(id INTEGER PRIMARY KEY, v TEXT)");
        }
        EnhancedSqlite.shutdown(); // the next getConnection opens a new pool, so a new physical connection

        try (Connection writer = TxDb.witness(file)) {
            TxDb.execute(writer, "BEGIN IMMEDIATE", "UPDATE counter SET n = 2"); // another process's transaction
            long read = TxDb.async("reader", () -> {
                try (Connection reader = DriverManager.getConnection(url)) {
                    return TxDb.queryLong(reader, "SELECT n FROM counter");
                }
            }).join();
            assertThat(read).isEqualTo(1);
            TxDb.execute(writer, "COMMIT");
        }
    }

    @Test
    void aSecondWriterFailsAfterWriterTimeoutWithAClearMessage() throws Exception {
        String url = url("maximumPoolSize=2&writerTimeout=300");
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            TxDb.update(first, "INSERT INTO log(who) VALUES ('first')");

            Throwable failure = TxDb.async("second writer",
                    () -> TxDb.update(second, "INSERT INTO log(who) VALUES ('second')")).failure();

            assertThat(failure).isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("writerTimeout")
                    .hasMessageContaining(file.getFileName().toString());
            first.commit();
            // nothing of the failed write was applied, and its connection writes once the turn is free
            assertThat(TxDb.committedString(file, "SELECT group_concat(who) FROM log")).isEqualTo("first");
            assertThat(TxDb.update(second, "INSERT INTO log(who) VALUES ('second')")).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(who ORDER BY seq) FROM log")).isEqualTo("first,second");
    }

    /**
     * In auto-commit mode the application's own SAVEPOINT opens a transaction and RELEASE of that outermost
     * savepoint commits it (https://www.sqlite.org/lang_savepoint.html). After the RELEASE the connection holds
     * nothing, so another writer must get the turn at once.
     */
    @Test
    void releasingTheOutermostSavepointInAutoCommitModeGivesBackTheTurn() throws Exception {
        String url = url("maximumPoolSize=2&writerTimeout=300");
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            TxDb.execute(first, "SAVEPOINT outer_sp", "INSERT INTO log(who) VALUES ('first')", "RELEASE outer_sp");
            assertThat(TxDb.committedString(file, "SELECT group_concat(who) FROM log")).as("RELEASE committed")
                    .isEqualTo("first");
            assertThat(TxDb.writeLockIsFree(file)).isTrue();

            int inserted = TxDb.async("second writer",
                    () -> TxDb.update(second, "INSERT INTO log(who) VALUES ('second')")).join();

            assertThat(inserted).isEqualTo(1);
            assertThat(TxDb.update(first, "INSERT INTO log(who) VALUES ('first again')")).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(who ORDER BY seq) FROM log"))
                .isEqualTo("first,second,first again");
    }

    /** A transaction that only reads on a connection that may write also takes the turn (it begins IMMEDIATE). */
    @Test
    void aManualTransactionOnAWritableConnectionWaitsForTheTurnEvenToRead() throws Exception {
        String url = url("maximumPoolSize=2&writerTimeout=300");
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            TxDb.update(first, "INSERT INTO log(who) VALUES ('first')");
            second.setAutoCommit(false);

            Throwable failure = TxDb.async("second transaction",
                    () -> TxDb.queryLong(second, "SELECT count(*) FROM log")).failure();

            assertThat(failure).isInstanceOf(SQLTimeoutException.class).hasMessageContaining("writerTimeout");
            first.commit();
            assertThat(TxDb.queryLong(second, "SELECT count(*) FROM log")).isEqualTo(1);
            second.commit();
        }
    }

    @Test
    void waitingWritersGetTheTurnInArrivalOrder() throws Exception {
        int waiters = 4;
        String url = url("maximumPoolSize=" + (waiters + 1) + "&writerTimeout=600000");
        List<Connection> connections = new ArrayList<>();
        try (Connection holder = DriverManager.getConnection(url)) {
            for (int i = 0; i < waiters; i++) {
                connections.add(DriverManager.getConnection(url));
            }
            holder.setAutoCommit(false);
            TxDb.update(holder, "INSERT INTO log(who) VALUES ('holder')");

            List<TxDb.Async<Integer>> writers = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                Connection connection = connections.get(i);
                String who = "w" + i;
                TxDb.Async<Integer> writer = TxDb.async(who,
                        () -> TxDb.update(connection, "INSERT INTO log(who) VALUES ('" + who + "')"));
                writer.awaitWaitingForTheWriterTurn(); // queued for the turn before the next one arrives
                assertThat(writer.isDone()).as(who + " must wait while the holder's transaction is open").isFalse();
                writers.add(writer);
            }
            holder.commit();
            for (TxDb.Async<Integer> writer : writers) {
                assertThat(writer.join()).isEqualTo(1);
            }
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(who, ' ') FROM (SELECT who FROM log ORDER BY seq)"))
                .isEqualTo("holder w0 w1 w2 w3");
    }

    /**
     * With writerFairnessWindow=0 a release hands the turn to the waiter, so the releasing thread's next write
     * comes after it: strict arrival order.
     */
    @Test
    void withoutAFairnessWindowAWaiterGoesBeforeTheReleasingThreadsNextWrite() throws Exception {
        assertThat(holderCommitsThenWritesAgainWhileAnotherWaits("writerFairnessWindow=0"))
                .isEqualTo("holder waiter holder-again");
    }

    /**
     * Within a window of a minute a waiter is not due, so no release hands it the turn; it must still get the
     * turn once the holder leaves it free (the head of the queue watches for that), long before the window or
     * the hang guard ends. Whether the holder's next write overtakes it is a race, so both orders are accepted.
     */
    @Test
    void aWaiterWithinTheFairnessWindowStillTakesATurnLeftFree() throws Exception {
        assertThat(holderCommitsThenWritesAgainWhileAnotherWaits("writerFairnessWindow=60000"))
                .isIn("holder waiter holder-again", "holder holder-again waiter");
    }

    private String holderCommitsThenWritesAgainWhileAnotherWaits(String settings) throws Exception {
        String url = url(settings + "&writerTimeout=600000");
        try (Connection holder = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            TxDb.update(holder, "INSERT INTO log(who) VALUES ('holder')");
            TxDb.Async<Integer> waiter = TxDb.async("waiter",
                    () -> TxDb.update(other, "INSERT INTO log(who) VALUES ('waiter')"));
            waiter.awaitWaitingForTheWriterTurn();
            holder.commit();
            holder.setAutoCommit(true);
            TxDb.update(holder, "INSERT INTO log(who) VALUES ('holder-again')");
            assertThat(waiter.join()).isEqualTo(1);
        }
        return TxDb.committedString(file, "SELECT group_concat(who, ' ') FROM (SELECT who FROM log ORDER BY seq)");
    }

    /**
     * One thread, two connections: the second would wait for the first forever. With a writerTimeout of ten
     * minutes the test only ends because the driver refuses at once; the preemptive timeout is a hang guard.
     */
    @Test
    void aThreadOpeningASecondWriteTransactionWhileItsFirstIsOpenFailsAtOnce() throws Exception {
        String url = url("maximumPoolSize=2&writerTimeout=600000");
        assertTimeoutPreemptively(Duration.ofSeconds(TxDb.HANG_GUARD_SECONDS), () -> {
            try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
                first.setAutoCommit(false);
                TxDb.update(first, "INSERT INTO log(who) VALUES ('first')");

                second.setAutoCommit(false);
                // as sqlite-jdbc reports a lock it gave up on (code written for it looks for these), but 25001
                assertThatThrownBy(() -> TxDb.update(second, "INSERT INTO log(who) VALUES ('second tx')"))
                        .isInstanceOf(SQLiteException.class)
                        .isNotInstanceOf(SQLTimeoutException.class)
                        .hasMessageContaining("database is locked")
                        .hasMessageContaining("already holds the write transaction")
                        .hasMessageContaining(file.getFileName().toString())
                        .satisfies(e -> assertThat(((SQLiteException) e).getResultCode())
                                .isEqualTo(SQLiteErrorCode.SQLITE_BUSY))
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25001"));
                second.setAutoCommit(true);
                assertThatThrownBy(() -> TxDb.update(second, "INSERT INTO log(who) VALUES ('second auto')"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("already holds the write transaction");
                // reads on the second connection are fine: readers never wait
                assertThat(TxDb.queryLong(second, "SELECT count(*) FROM log")).isZero();

                first.commit();
                // nothing is left behind: the second connection writes now
                assertThat(TxDb.update(second, "INSERT INTO log(who) VALUES ('second')")).isEqualTo(1);
            }
        });
        assertThat(TxDb.committedString(file, "SELECT group_concat(who ORDER BY seq) FROM log")).isEqualTo("first,second");
    }

    @Test
    void nestedInTransactionOnOneThreadFailsAtOnceInsteadOfWaitingForItself() throws Exception {
        String url = url("maximumPoolSize=2&writerTimeout=600000");
        try (io.github.enhancedsqlite.EnhancedSqliteDataSource dataSource =
                     new io.github.enhancedsqlite.EnhancedSqliteDataSource(url)) {
            // both pooled connections opened before any transaction (see
            // aReaderOpeningANewConnectionDoesNotWaitForAWriteTransaction for why that matters)
            try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
                assertThat(one).isNotSameAs(two);
            }
            assertTimeoutPreemptively(Duration.ofSeconds(TxDb.HANG_GUARD_SECONDS), () -> {
                int[] innerRuns = new int[1];
                assertThatThrownBy(() -> EnhancedSqlite.inTransaction(dataSource, outer -> {
                    TxDb.update(outer, "INSERT INTO log(who) VALUES ('outer')");
                    return EnhancedSqlite.inTransaction(dataSource, inner -> {
                        innerRuns[0]++;
                        return TxDb.update(inner, "INSERT INTO log(who) VALUES ('inner')");
                    });
                })).isInstanceOf(SQLException.class).hasMessageContaining("already holds the write transaction");
                assertThat(innerRuns[0]).as("the inner unit ran once and was not replayed: its first write was refused")
                        .isEqualTo(1);
            });
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM log")).isZero();
    }

    @Test
    void anInterruptedWaitingWriterFailsCleanlyAndTheTurnStillWorks() throws Exception {
        String url = url("maximumPoolSize=3&writerTimeout=600000");
        try (Connection holder = DriverManager.getConnection(url); Connection waiter = DriverManager.getConnection(url);
             Connection later = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            TxDb.update(holder, "INSERT INTO log(who) VALUES ('holder')");

            boolean[] interruptKept = new boolean[1];
            TxDb.Async<Integer> waiting = TxDb.async("interrupted writer", () -> {
                try {
                    return TxDb.update(waiter, "INSERT INTO log(who) VALUES ('interrupted')");
                } finally {
                    interruptKept[0] = Thread.interrupted();
                }
            });
            waiting.awaitWaitingForTheWriterTurn();
            waiting.thread().interrupt();
            Throwable failure = waiting.failure();
            assertThat(failure).isInstanceOf(SQLException.class).hasMessageContaining("Interrupted");
            assertThat(interruptKept[0]).as("the interrupt status is kept for the application").isTrue();

            TxDb.Async<Integer> next = TxDb.async("next writer",
                    () -> TxDb.update(later, "INSERT INTO log(who) VALUES ('later')"));
            next.awaitWaitingForTheWriterTurn();
            holder.commit();
            assertThat(next.join()).isEqualTo(1);
            assertThat(TxDb.update(waiter, "INSERT INTO log(who) VALUES ('waiter')")).isEqualTo(1);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(who ORDER BY seq) FROM log"))
                .isEqualTo("holder,later,waiter");
    }

    /**
     * The driver must not swallow the caller's interrupt status (the way a thread pool cancels a task): whatever a
     * statement does with an interrupted thread, the thread is still interrupted afterwards.
     */
    @Test
    void aStatementKeepsTheCallersInterruptStatus() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url)) {
            boolean[] stillInterrupted = new boolean[2];
            TxDb.async("interrupted caller", () -> {
                Thread.currentThread().interrupt();
                try {
                    TxDb.queryLong(connection, "SELECT n FROM counter");
                } catch (SQLException e) {
                    // failing because of the interrupt is fine; forgetting it is not
                }
                stillInterrupted[0] = Thread.interrupted();
                Thread.currentThread().interrupt();
                try {
                    TxDb.update(connection, "INSERT INTO log(who) VALUES ('interrupted')");
                } catch (SQLException e) {
                    // as above
                }
                stillInterrupted[1] = Thread.interrupted();
                return null;
            }).join();
            assertThat(stillInterrupted[0]).as("interrupt status after a read").isTrue();
            assertThat(stillInterrupted[1]).as("interrupt status after a write").isTrue();
        }
    }

    /** Many threads of one JVM doing read-then-write transactions: every increment lands, no error surfaces. */
    @Test
    void manyThreadsIncrementingWithReadThenWriteTransactionsLoseNothing() throws Exception {
        int threads = 8;
        int increments = 100;
        String url = url("maximumPoolSize=4");
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<TxDb.Async<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(TxDb.async("incrementer " + t, () -> {
                for (int i = 0; i < increments; i++) {
                    try (Connection connection = DriverManager.getConnection(url)) {
                        connection.setAutoCommit(false);
                        long n;
                        try (Statement statement = connection.createStatement();
                             ResultSet result = statement.executeQuery("SELECT n FROM counter WHERE id = 1")) {
                            result.next();
                            n = result.getLong(1);
                        }
                        try (PreparedStatement update = connection.prepareStatement(
                                "UPDATE counter SET n = ? WHERE id = 1")) {
                            update.setLong(1, n + 1);
                            update.executeUpdate();
                        }
                        connection.commit();
                    } catch (SQLException | RuntimeException e) {
                        errors.add(e);
                    }
                }
                return null;
            }));
        }
        for (TxDb.Async<Void> worker : workers) {
            worker.join();
        }
        assertThat(errors).isEmpty();
        assertThat(TxDb.committed(file, "SELECT n FROM counter")).isEqualTo(1 + threads * increments);
    }
}
