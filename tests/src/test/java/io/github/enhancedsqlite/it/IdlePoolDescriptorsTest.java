package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 1 beside issue 17 point 5: the pools a JVM keeps open while idle (up to {@code maxIdlePools}) hold
 * their database's descriptors and no more. Each pool that wrote has a descriptor of its writers' queue file while it
 * writes; once idle, it gives that one back when another pool opens, and opens it again at its next write. And the
 * pools retired beyond {@code maxIdlePools} that are still closing stay few when closing is slower than opening.
 */
class IdlePoolDescriptorsTest {

    private static final String QUEUE_FILE_PREFIX = "enhanced-sqlite-writers-";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void idlePoolsKeptOpenHoldNoWriterQueueDescriptor() throws Exception {
        EnhancedSqlite.shutdown(); // only this test's pools
        for (int i = 0; i < 6; i++) {
            // files that exist before their pools open: on a file it creates, a pool joins no queue until another
            // process does (WriterQueueTest)
            try (Connection plain = Db.plain(dir.resolve("file-" + i + ".db")); Statement statement = plain.createStatement()) {
                statement.execute("CREATE TABLE memory_entries(key INTEGER PRIMARY KEY, value TEXT)");
            }
        }
        for (int i = 0; i < 6; i++) { // fewer than maxIdlePools: every pool stays open
            write(dir.resolve("file-" + i + ".db"), i);
        }
        assertThat(queueDescriptors()).as("only the pool that wrote last still holds its queue file").isEqualTo(1);

        write(dir.resolve("file-0.db"), 100); // an idle pool writes again: it queues as before
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + dir.resolve("file-0.db"));
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM memory_entries")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void poolsStillClosingStayFewWhenTheCloserIsHeldUp() throws Exception {
        EnhancedSqlite.shutdown(); // only this test's pools
        Path held = dir.resolve("held.db");
        // its final checkpoint waits for the writer lock another connection holds: the closer's thread is held up
        write(held, 0, "maxIdlePools=2&busy_timeout=600000");
        try (Connection other = Db.plain(held); Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < 20; i++) {
                write(dir.resolve("file-" + i + ".db"), i, "maxIdlePools=2");
            }
            // the held pool and the other connection (3 each), the 2 idle pools kept and the last one (3 each);
            // before, every pool retired after the held one waited behind it with its three files open
            assertThat(databaseDescriptors()).as("descriptors of the files under %s", dir)
                    .isLessThanOrEqualTo(2 * 3 + (2 + 1) * 3);
            lock.execute("ROLLBACK");
        }
        try (Connection connection = Db.open(dir.resolve("file-0.db"), "maxIdlePools=2")) {
            assertThat(Db.queryLong(connection, "SELECT count(*) FROM memory_entries")).isEqualTo(1);
        }
    }

    private static void write(Path file, int key) throws SQLException {
        write(file, key, "");
    }

    private static void write(Path file, int key, String query) throws SQLException {
        try (Connection connection = query.isEmpty() ? Db.open(file) : Db.open(file, query);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS memory_entries(key INTEGER PRIMARY KEY, value TEXT)");
            statement.execute("INSERT INTO memory_entries VALUES (" + key + ", 'v')");
        }
    }

    /** This JVM's open descriptors of files under the test's directory. */
    private long databaseDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).startsWith(dir.toRealPath());
                } catch (IOException e) {
                    return false; // closed while listed (the listing's own descriptor)
                }
            }).count();
        }
    }

    /** This JVM's open descriptors of writer queue files. */
    private static long queueDescriptors() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).getFileName().toString().startsWith(QUEUE_FILE_PREFIX);
                } catch (IOException e) {
                    return false; // closed while listed (the listing's own descriptor)
                }
            }).count();
        }
    }
}
