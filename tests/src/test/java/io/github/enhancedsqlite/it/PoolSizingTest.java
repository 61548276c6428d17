package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.it.metrics.Figures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool opens with one connection and grows on demand: a file used once holds one connection, not ten opened in the
 * background (which held ten descriptors per file, and recreated -wal/-shm in directories a test suite was deleting:
 * sqlite-jdbc's SQLiteJDBCLoaderTest#test could not delete its temporary directory).
 */
class PoolSizingTest {

    private static final String PREFIX = "jdbc:enhanced-sqlite:";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aPoolOpensWithOneConnectionAndGrowsOnDemandUpToItsMaximum() throws Exception {
        Path file = dir.resolve("grow.db");
        String url = PREFIX + file + "?maximumPoolSize=4";
        DatabaseMXBean figures;
        try (Connection first = DriverManager.getConnection(url)) {
            figures = first.unwrap(DatabaseMXBean.class);
            assertThat(figures.getTotalConnections()).isEqualTo(1);
        }
        assertThat(figures.getTotalConnections()).as("nothing opened in the background").isEqualTo(1);

        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(DriverManager.getConnection(url));
            }
            assertThat(figures.getTotalConnections()).isEqualTo(4);
            assertThat(figures.getActiveConnections()).isEqualTo(4);
        } finally {
            closeAll(held);
        }
    }

    /**
     * The first connection is lent without HikariCP; the second starts HikariCP one connection smaller while the first
     * is out. A third borrower waits at that size, and gets a connection once the first comes back (and closes),
     * long before its timeout.
     */
    @Test
    void aBorrowerWaitingWhenTheFirstConnectionComesBackGetsItsSlot() throws Exception {
        Path file = dir.resolve("slot.db");
        String url = PREFIX + file + "?maximumPoolSize=2&connectionTimeout=60000";
        Connection first = DriverManager.getConnection(url);
        DatabaseMXBean figures = first.unwrap(DatabaseMXBean.class);
        try (Connection second = DriverManager.getConnection(url)) {
            CompletableFuture<Connection> third = borrowLater(url);
            Figures.await("the third borrower waits", () -> figures.getThreadsAwaitingConnection() == 1);

            first.close();

            try (Connection got = third.get(30, TimeUnit.SECONDS)) { // bounds a hang; the pool's timeout is 60 s
                assertThat(got.isValid(1)).isTrue();
                assertThat(figures.getTotalConnections()).isEqualTo(2);
            }
        }
    }

    /**
     * HikariCP opens one connection at a time and sleeps 30 ms after each: fifteen borrowers arriving at once on a pool
     * that holds one connection waited 30, 60, … 420 ms, and those past the fourth or so timed out at 250 ms. The pool
     * now lets such borrowers open their own connections, so every one of them is served within its timeout.
     */
    @Test
    void aBurstOfBorrowersIsServedAtOnceNotAtHikariCpsPaceOfOneConnectionPer30Ms() throws Exception {
        Path file = dir.resolve("burst.db");
        String url = PREFIX + file + "?maximumPoolSize=16&connectionTimeout=250";
        int borrowers = 15;
        try (Connection first = DriverManager.getConnection(url)) {
            DatabaseMXBean figures = first.unwrap(DatabaseMXBean.class);
            CountDownLatch settled = new CountDownLatch(borrowers); // each borrower holds a connection, or failed
            CountDownLatch release = new CountDownLatch(1);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(borrowers);
            try {
                for (int i = 0; i < borrowers; i++) {
                    threads.submit(() -> {
                        try (Connection held = DriverManager.getConnection(url)) {
                            held.createStatement().execute("SELECT 1");
                            settled.countDown();
                            release.await(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            failures.add(e);
                            settled.countDown();
                        }
                        return null;
                    });
                }
                assertThat(settled.await(30, TimeUnit.SECONDS)).as("every borrower settled").isTrue();
                assertThat(failures).as("no borrower timed out waiting for HikariCP to grow").isEmpty();
                assertThat(figures.getActiveConnections()).isEqualTo(borrowers + 1);
                assertThat(figures.getTotalConnections()).as("within maximumPoolSize").isEqualTo(borrowers + 1);
            } finally {
                release.countDown();
                threads.shutdown();
                assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            Figures.await("the burst's connections given back", () -> figures.getActiveConnections() == 1);
            try (Connection again = DriverManager.getConnection(url)) {
                assertThat(again.isValid(1)).isTrue();
            }
        }
    }

    /**
     * BenchBase's eight workers each borrow a connection at start and hold it: one of them waited in HikariCP for its
     * 30 s timeout while a connection a borrower had opened itself sat idle, its slot kept out of HikariCP's size. A
     * borrower waiting in HikariCP gets such a connection as soon as it is given back.
     */
    @Test
    void aBorrowerWaitingInHikariCpGetsAConnectionABurstGaveBack() throws Exception {
        Path file = dir.resolve("handover.db");
        String url = PREFIX + file + "?maximumPoolSize=4";
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // the first, two opened by their borrowers, one of HikariCP's
                held.add(DriverManager.getConnection(url));
            }
            DatabaseMXBean figures = held.get(0).unwrap(DatabaseMXBean.class);
            CompletableFuture<Connection> fifth = borrowLater(url);
            Figures.await("the fifth borrower waits", () -> figures.getThreadsAwaitingConnection() == 1);

            held.remove(1).close(); // one its borrower opened

            try (Connection got = fifth.get(20, TimeUnit.SECONDS)) { // the pool's own timeout is 30 s
                assertThat(got.isValid(1)).isTrue();
                assertThat(figures.getTotalConnections()).as("within maximumPoolSize").isEqualTo(4);
            }
        } finally {
            closeAll(held);
        }
    }

    /**
     * Many borrowers that each hold their connection for a moment, on a pool far smaller than their number: every one is
     * served (the first connection, growth connections opened and adopted, HikariCP's, all in play), the file never
     * holds more than the maximum (it once held 7–9 of 6: an idle growth connection beside a HikariCP grown to a size
     * that counted it as HikariCP's), every write counts, and shutdown leaves the file alone.
     */
    @Test
    void manyBorrowersOnASmallPoolAreAllServedWithinItsSize() throws Exception {
        Path file = dir.resolve("crowd.db");
        String url = PREFIX + file + "?maximumPoolSize=6";
        int threads = 16;
        int rounds = 200;
        try (Connection setup = DriverManager.getConnection(url)) {
            Db.execute(setup, "CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER)", "INSERT INTO t VALUES (1, 0)");
        }
        DatabaseMXBean figures;
        try (Connection any = DriverManager.getConnection(url)) {
            figures = any.unwrap(DatabaseMXBean.class);
        }
        java.util.concurrent.atomic.AtomicInteger mostOpen = new java.util.concurrent.atomic.AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < rounds; i++) {
                            try (Connection connection = DriverManager.getConnection(url)) {
                                Db.execute(connection, "UPDATE t SET n = n + 1 WHERE id = 1");
                                mostOpen.accumulateAndGet(figures.getTotalConnections(), Math::max);
                                Db.queryLong(connection, "SELECT count(*) FROM t, t AS u, t AS v");
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    return null;
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("every borrower finished").isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(mostOpen.get()).as("connections of the file at most").isLessThanOrEqualTo(6);
        try (Connection check = DriverManager.getConnection(url)) {
            assertThat(Db.queryLong(check, "SELECT n FROM t")).isEqualTo((long) threads * rounds);
        }

        EnhancedSqlite.shutdown();

        assertThat(Db.sidecars(file)).as("no connection left open on the file").isEmpty();
    }

    /**
     * Shutdown with every slot held (the first connection, a growth connection, HikariCP's) and a borrower waiting in
     * HikariCP ends every thread of the pool (HikariCP's start thread and adder included); the waiting borrower fails as
     * HikariCP's waiters do, at its connection timeout.
     */
    @Test
    void shutdownWithEverySlotHeldAndABorrowerWaitingEndsEveryThread() throws Exception {
        Path file = dir.resolve("full.db");
        String url = PREFIX + file + "?maximumPoolSize=3&connectionTimeout=3000";
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // the first, one its borrower opened, one of HikariCP's
                held.add(DriverManager.getConnection(url));
            }
            DatabaseMXBean figures = held.get(0).unwrap(DatabaseMXBean.class);
            CompletableFuture<Connection> waiting = borrowLater(url);
            Figures.await("the fourth borrower waits", () -> figures.getThreadsAwaitingConnection() == 1);

            EnhancedSqlite.shutdown();

            assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> name.startsWith("enhanced-sqlite full.db"))).as("the pool's threads").isEmpty();
            assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        } finally {
            closeAll(held);
        }
    }

    /** Connections a burst opened and still holds at shutdown close with the pool: the file is left whole and alone. */
    @Test
    void connectionsOfABurstStillHeldAtShutdownCloseWithThePool() throws Exception {
        Path file = dir.resolve("held.db");
        String url = PREFIX + file + "?maximumPoolSize=4";
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(DriverManager.getConnection(url));
            }
            Db.execute(held.get(0), "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");

            EnhancedSqlite.shutdown();

            for (Connection connection : held) {
                assertThatThrownBy(() -> Db.execute(connection, "INSERT INTO t VALUES (2)"))
                        .isInstanceOf(SQLException.class);
            }
        } finally {
            closeAll(held);
        }
        assertThat(Db.sidecars(file)).as("no connection left open on the file").isEmpty();
        try (Connection plain = Db.plain(file)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM t")).isEqualTo(1);
        }
    }

    @Test
    void aDirectoryOfFilesUsedOnceCanBeDeletedWhileTheirPoolsAreOpen() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("suite"));
        for (int i = 0; i < 32; i++) {
            try (Connection connection = DriverManager.getConnection(PREFIX + folder.resolve("sample-" + i + ".db"))) {
                connection.createStatement().execute("CREATE TABLE t(x)");
            }
        }
        try (var files = Files.list(folder)) {
            for (Path each : files.toList()) {
                // a pool retired beyond maxIdlePools may be closing meanwhile and remove its -wal and -shm itself
                Files.deleteIfExists(each);
            }
        }
        try (var left = Files.list(folder)) {
            assertThat(left.toList()).as("no pool recreated a file after the deletion").isEmpty();
        }
        Files.delete(folder);
    }

    /** A borrower on another thread, which may wait for the pool. */
    private static CompletableFuture<Connection> borrowLater(String url) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static void closeAll(List<Connection> held) throws SQLException {
        for (Connection connection : held) {
            connection.close();
        }
    }
}
