package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteException;

/**
 * The thread holding the writer turn waits for a lock of the application that the thread waiting for the turn holds.
 * Spring Batch 6.0.4 builds both: its multi-threaded paging reader reads each page under one lock, through the chunk
 * transaction of the calling thread, and its execution-context DAO writes under one lock shared by every step. Plain
 * sqlite-jdbc ends such a cycle when its busy timeout runs out; the driver's writer waited {@code writerTimeout} (30 s)
 * for a turn that could not come. Now the waiter notices the cycle: a holder that has only read gives the turn up, a
 * waiter that only reads begins as a reader, and a write that would wait for the cycle fails at once.
 */
class ApplicationLockCycleTest extends TxDatabaseTest {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS page(id INTEGER PRIMARY KEY, v TEXT)",
        "CREATE TABLE IF NOT EXISTS ctx(id INTEGER PRIMARY KEY, v TEXT)",
        "INSERT INTO page(v) VALUES ('a'), ('b'), ('c'), ('d')",
        "INSERT INTO ctx VALUES (1, 'one'), (2, 'two')"
    };
    /** Long, so that a waiter that does not notice the cycle fails the test by timing out rather than passing. */
    private static final String QUERY = "maximumPoolSize=4&writerTimeout=20000";

    @Test
    void aHolderThatOnlyReadGivesTheTurnToTheReaderHoldingTheLockItWaitsFor() throws Exception {
        String url = database("paging.db", QUERY, SCHEMA);
        ReentrantLock readerLock = new ReentrantLock();
        CountDownLatch lockTaken = new CountDownLatch(1);
        CountDownLatch firstPageRead = new CountDownLatch(1);
        TxDb.Async<String> first = TxDb.async("first page", () -> {
            try (Connection connection = DriverManager.getConnection(url)) {
                connection.setAutoCommit(false);
                lockTaken.await();
                String page = TxDb.queryString(connection, "SELECT group_concat(v) FROM page WHERE id <= 2");
                firstPageRead.countDown();
                readerLock.lock(); // held by the second page's thread, which waits for the turn this one holds
                try {
                    // nobody committed anything in between: the write goes through
                    TxDb.update(connection, "UPDATE ctx SET v = 'read " + page + "' WHERE id = 1");
                } finally {
                    readerLock.unlock();
                }
                connection.commit();
                return page;
            }
        });
        TxDb.Async<String> second = TxDb.async("second page", () -> {
            readerLock.lock();
            try (Connection connection = DriverManager.getConnection(url)) {
                lockTaken.countDown();
                firstPageRead.await();
                connection.setAutoCommit(false);
                String page = TxDb.queryString(connection, "SELECT group_concat(v) FROM page WHERE id <= 2");
                readerLock.unlock();
                connection.commit();
                return page;
            } finally {
                if (readerLock.isHeldByCurrentThread()) {
                    readerLock.unlock();
                }
            }
        });
        assertThat(second.join()).isEqualTo("a,b");
        assertThat(first.join()).isEqualTo("a,b");
        assertThat(TxDb.committedString(file, "SELECT v FROM ctx WHERE id = 1")).isEqualTo("read a,b");
    }

    @Test
    void aReaderHoldingTheLockTheWritingHolderWaitsForReadsAsAReader() throws Exception {
        String url = database("read-under-lock.db", QUERY, SCHEMA);
        ReentrantLock daoLock = new ReentrantLock();
        CountDownLatch lockTaken = new CountDownLatch(1);
        CountDownLatch firstWrote = new CountDownLatch(1);
        TxDb.Async<Integer> writer = writeThenTakeLock("writer", url, daoLock, lockTaken, firstWrote);
        TxDb.Async<Long> reader = TxDb.async("reader", () -> {
            daoLock.lock();
            try (Connection connection = DriverManager.getConnection(url)) {
                lockTaken.countDown();
                firstWrote.await();
                connection.setAutoCommit(false);
                long pages = TxDb.queryLong(connection, "SELECT count(*) FROM page");
                connection.commit();
                return pages;
            } finally {
                daoLock.unlock();
            }
        });
        assertThat(reader.join()).as("the reader's snapshot precedes the writer's commit").isEqualTo(4);
        assertThat(writer.join()).isEqualTo(1);
        assertThat(TxDb.committed(file, "SELECT count(*) FROM page")).isEqualTo(5);
    }

    @Test
    void aWriteThatWouldWaitForTheHolderWaitingForItsLockFailsAtOnceAndTheHolderCommits() throws Exception {
        String url = database("write-under-lock.db", QUERY, SCHEMA);
        ReentrantLock daoLock = new ReentrantLock();
        CountDownLatch lockTaken = new CountDownLatch(1);
        CountDownLatch firstWrote = new CountDownLatch(1);
        TxDb.Async<Integer> holder = writeThenTakeLock("chunk", url, daoLock, lockTaken, firstWrote);
        TxDb.Async<Throwable> blocked = TxDb.async("context", () -> {
            daoLock.lock();
            try (Connection connection = DriverManager.getConnection(url)) {
                lockTaken.countDown();
                firstWrote.await();
                connection.setAutoCommit(false);
                Throwable refused = null;
                try {
                    TxDb.update(connection, "UPDATE ctx SET v = 'context' WHERE id = 2");
                } catch (SQLException e) {
                    refused = e;
                }
                connection.rollback();
                return refused;
            } finally {
                daoLock.unlock();
            }
        });
        assertThat(blocked.join())
                .isInstanceOf(SQLiteException.class)
                .hasMessageContaining("database is locked")
                .hasMessageContaining("'chunk'")
                .hasMessageContaining("ReentrantLock")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25001"));
        assertThat(holder.join()).isEqualTo(1);
        assertThat(TxDb.committedString(file, "SELECT group_concat(v) FROM ctx")).isEqualTo("chunk,two");
        assertThat(TxDb.committed(file, "SELECT count(*) FROM page WHERE v = 'chunk'")).isEqualTo(1);
        // the refused write is not stuck: it goes through now
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(TxDb.update(connection, "UPDATE ctx SET v = 'context' WHERE id = 2")).isEqualTo(1);
        }
    }

    /**
     * A transaction on its own thread, named {@code name}: once {@code lockTaken}, it inserts a page named after its
     * thread and says so, then takes {@code lock} to update context 1 to its name and commit; returns that count.
     */
    private static TxDb.Async<Integer> writeThenTakeLock(String name, String url, ReentrantLock lock,
                                                         CountDownLatch lockTaken, CountDownLatch wrote) {
        return TxDb.async(name, () -> {
            try (Connection connection = DriverManager.getConnection(url)) {
                connection.setAutoCommit(false);
                lockTaken.await();
                TxDb.update(connection, "INSERT INTO page(v) VALUES ('" + name + "')");
                wrote.countDown();
                lock.lock();
                try {
                    int updated = TxDb.update(connection, "UPDATE ctx SET v = '" + name + "' WHERE id = 1");
                    connection.commit();
                    return updated;
                } finally {
                    lock.unlock();
                }
            }
        });
    }
}
