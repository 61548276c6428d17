package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.it.metrics.Figures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (300 short-lived files): a file used one connection at a time costs the JVM no thread of its own. Its
 * pool's idle check, MXBean registration and the start of its maintenance wait on one timer thread shared by all
 * pools; HikariCP's housekeeper comes with HikariCP (a second connection wanted at once), and the maintenance thread
 * with the first run, one interval after the pool opened. Before, each file started two threads at once (its
 * housekeeper and its maintenance thread), which a test suite's pool per file paid for every file.
 */
class ThreadsPerFileTest {

    /** Long enough that no maintenance run is due while the test runs, however loaded the machine. */
    private static final String QUERY = "?maintenanceInterval=3600000";
    private static final int FILES = 12;

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private static List<String> driverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("enhanced-sqlite")).sorted().toList();
    }

    @Test
    void filesUsedOneConnectionAtATimeShareOneTimerThread() throws Exception {
        for (int i = 0; i < FILES; i++) {
            try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + dir.resolve(i + ".db")
                    + QUERY); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t(v TEXT)");
                statement.execute("INSERT INTO t VALUES ('" + i + "')");
            }
        }
        assertThat(EnhancedSqlite.openDatabases()).isNotEmpty();
        // pools retired beyond maxIdlePools close on threads of their own, which end once they closed
        assertThat(driverThreads()).filteredOn(name -> !name.startsWith("enhanced-sqlite-idle-close"))
                .containsExactly("enhanced-sqlite-timer");

        EnhancedSqlite.shutdown();

        assertThat(driverThreads()).isEmpty();
    }

    /**
     * Pools retired beyond {@code maxIdlePools} are closed, one after the other, by one closer thread of the JVM, which
     * stays while any pool is open and goes with the last: a thread started, and ended, per file was a good part of
     * what a retired file cost. Every file is still left closed and checkpointed.
     */
    @Test
    void poolsRetiredOneAfterTheOtherShareOneCloserThread() throws Exception {
        Set<Thread> closers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < FILES; i++) {
            try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + dir.resolve(i + ".db")
                    + QUERY + "&maxIdlePools=1"); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t(v TEXT)");
                statement.execute("INSERT INTO t VALUES ('" + i + "')");
            }
            closers.addAll(driverThreadsNamed("enhanced-sqlite-idle-close"));
        }
        // the last two stay: the one in use when the last opened, kept idle, and the last
        Figures.await("the retired files closed", () -> EnhancedSqlite.openDatabases().size() == 2);
        closers.addAll(driverThreadsNamed("enhanced-sqlite-idle-close"));
        assertThat(closers).as("closer threads seen").hasSize(1);
        for (int i = 0; i < FILES - 2; i++) {
            assertThat(dir.resolve(i + ".db-wal")).as("checkpointed and closed").doesNotExist();
        }

        EnhancedSqlite.shutdown();

        assertThat(driverThreads()).isEmpty();
    }

    private static List<Thread> driverThreadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().equals(name)).toList();
    }

    /** HikariCP starts on a pool thread of its own, the second borrower meanwhile served by a connection it opens. */
    @Test
    void aSecondConnectionAtOnceStartsHikariCpWithItsHousekeeper() throws Exception {
        Path file = dir.resolve("two.db");
        String url = "jdbc:enhanced-sqlite:" + file + QUERY;
        try (Connection first = DriverManager.getConnection(url);
             Connection second = DriverManager.getConnection(url)) {
            Figures.await("HikariCP's housekeeper started",
                    () -> driverThreads().contains("enhanced-sqlite two.db:housekeeper"));
            assertThat(driverThreads()).contains("enhanced-sqlite-timer");
        }

        EnhancedSqlite.shutdown();

        assertThat(driverThreads()).as("the thread that started HikariCP ended too").isEmpty();
    }
}
