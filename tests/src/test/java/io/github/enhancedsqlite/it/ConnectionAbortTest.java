package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/**
 * Issue 12 point 5: {@code Connection.abort(executor)} from another thread than the one using the connection, which
 * JDBC allows (an administrator's thread ending a runaway request).
 */
class ConnectionAbortTest {

    /** A writer or borrower that waits this long failed: the turn or the slot was never given back. */
    private static final String SETTINGS = "maximumPoolSize=1&minimumIdle=1&connectionTimeout=5000&writerTimeout=5000";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /**
     * The owner thread runs a statement that never ends on its own, inside a write transaction. abort() from the test
     * thread stops it, the owner's next call fails as aborted, and the writer turn and the pool's only slot are free
     * again for the next borrower. (Before, abort closed the connection on the caller's thread, which waited for the
     * running statement, that is forever; the timeout only keeps that from hanging the build.)
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void abortFromAnotherThreadStopsTheRunningStatementAndGivesTheTurnAndTheSlotBack() throws Exception {
        Path database = dir.resolve("abort.db");
        Connection owner = Db.open(database, SETTINGS);
        Db.execute(owner, "CREATE TABLE t(x)");
        owner.setAutoCommit(false);
        Db.execute(owner, "INSERT INTO t VALUES (1)"); // holds the writer turn and SQLite's write lock from here
        CountDownLatch running = new CountDownLatch(1);
        Function.create(owner.unwrap(SQLiteConnection.class), "running", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                running.countDown();
                result(1);
            }
        });
        AtomicReference<Throwable> ownerFailure = new AtomicReference<>();
        Thread ownerThread = new Thread(() -> {
            try (Statement statement = owner.createStatement();
                 ResultSet endless = statement.executeQuery("WITH RECURSIVE c(x) AS (SELECT running()"
                         + " UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")) {
                endless.next();
            } catch (Throwable e) {
                ownerFailure.set(e);
            }
        }, "connection owner");
        ownerThread.start();
        running.await();

        ExecutorService executor = Executors.newSingleThreadExecutor();
        owner.abort(executor);
        ownerThread.join();
        executor.shutdown();
        assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).as("the abort's close ended").isTrue();

        assertThat(ownerFailure.get()).as("the running statement was stopped").isInstanceOf(SQLException.class);
        assertThat(owner.isClosed()).isTrue();
        assertThatThrownBy(() -> owner.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class)
                .hasMessageContaining("aborted");
        assertThatThrownBy(owner::commit).isInstanceOf(SQLException.class).hasMessageContaining("aborted");
        owner.close(); // harmless after abort

        try (Connection next = Db.open(database, SETTINGS)) { // the pool's only slot
            assertThat(next.unwrap(DatabaseMXBean.class).getTotalConnections())
                    .as("not one opened beyond the size: the abort gave the slot back").isEqualTo(1);
            Db.execute(next, "INSERT INTO t VALUES (2)"); // the writer turn and the write lock
            assertThat(Db.queryLong(next, "SELECT sum(x) FROM t")).as("the aborted transaction rolled back")
                    .isEqualTo(2);
        }
    }

    @Test
    void abortNeedsAnExecutor() throws Exception {
        try (Connection connection = Db.open(dir.resolve("null.db"), SETTINGS)) {
            assertThatThrownBy(() -> connection.abort(null)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Executor");
            assertThat(connection.isClosed()).isFalse();
        }
    }
}
