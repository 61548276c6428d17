package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: each test mounts a tmpfs of a few hundred KiB (needs root, as CI runs) and fills it. SQLite
 * answers SQLITE_FULL; the driver must pass that on at once, keep everything acknowledged, keep serving reads, write
 * again once space is freed, and, when the disk is full before a file is even opened, say so.
 */
class FullDiskTest {

    private static final int SQLITE_FULL = 13;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aWriteThatFindsTheDiskFullFailsWithSqliteFullLosesNothingAndWritingResumesOnceSpaceIsFreed() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(dir.resolve("disk"), 3 << 20)) {
            Path filler = disk.fill("filler", 512 << 10);
            Path database = disk.root().resolve("memory.db");
            try (Connection connection = Db.open(database)) {
                Db.execute(connection, "CREATE TABLE memory (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
            }

            SplittableRandom random = new SplittableRandom(7);
            int acknowledged = 0;
            SQLException full = null;
            while (full == null) {
                assertThat(acknowledged).as("rows written without the disk filling").isLessThan(100_000);
                try (Connection connection = Db.open(database);
                     PreparedStatement insert = connection.prepareStatement("INSERT INTO memory VALUES (?, ?)")) {
                    insert.setInt(1, acknowledged);
                    insert.setString(2, randomJson(random));
                    insert.executeUpdate();
                    acknowledged++;
                } catch (SQLException e) {
                    full = e;
                }
            }
            assertThat(full.getErrorCode()).as(full.toString()).isEqualTo(SQLITE_FULL);

            // a transaction that runs into the full disk is refused whole
            try (Connection connection = Db.open(database)) {
                connection.setAutoCommit(false);
                assertThatThrownBy(() -> {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO memory VALUES (?, ?)")) {
                        for (int i = 0; i < 200; i++) {
                            insert.setInt(1, 1_000_000 + i);
                            insert.setString(2, randomJson(random));
                            insert.executeUpdate();
                        }
                    }
                    connection.commit();
                }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(SQLITE_FULL));
                connection.rollback();
            }
            try (Connection connection = Db.open(database)) {
                assertThat(Db.queryLong(connection, "SELECT count(*) FROM memory")).isEqualTo(acknowledged);
            }

            Files.delete(filler);
            try (Connection connection = Db.open(database);
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO memory VALUES (?, ?)")) {
                insert.setInt(1, 2_000_000);
                insert.setString(2, "{\"after\":true}");
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            EnhancedSqlite.shutdown();

            try (Connection witness = Db.plain(database)) {
                assertThat(Db.queryStrings(witness, "PRAGMA integrity_check")).containsExactly("ok");
                assertThat(Db.queryLong(witness, "SELECT count(*) FROM memory WHERE id < 1000000"))
                        .isEqualTo(acknowledged);
                assertThat(Db.queryLong(witness, "SELECT count(*) FROM memory WHERE id >= 1000000")).isEqualTo(1);
            }
        }
    }

    @Test
    void aDatabaseThatCannotBeCreatedOnAFullDiskNamesTheFullStorage() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(dir.resolve("disk"), 256 << 10)) {
            disk.fill("filler", 1 << 20); // more than fits: the file system is left full
            Path database = disk.root().resolve("new.db");

            assertThatThrownBy(() -> Db.open(database))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(SQLITE_FULL))
                    .hasMessageContaining(database.toString())
                    .hasMessageContaining("the storage holding " + disk.root() + " is full")
                    .hasMessageNotContaining("read-only");
            assertThat(EnhancedSqlite.openDatabases()).isEmpty();
        }
    }

    private static String randomJson(SplittableRandom random) {
        StringBuilder json = new StringBuilder("{\"note\":\"");
        for (int i = 0; i < 300; i++) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        return json.append("\"}").toString();
    }

    /** A tmpfs of a fixed size mounted for one test, unmounted after it. */
    private static final class SmallFileSystem implements AutoCloseable {

        private final Path root;

        private SmallFileSystem(Path root) {
            this.root = root;
        }

        static SmallFileSystem mount(Path root, int bytes) throws Exception {
            Files.createDirectories(root);
            command("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", root.toString());
            return new SmallFileSystem(root);
        }

        Path root() {
            return root;
        }

        /** Writes up to {@code bytes} of zeros into a new file, fewer where the file system fills first. */
        Path fill(String name, int bytes) throws Exception {
            Path file = root.resolve(name);
            byte[] block = new byte[4096];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int written = 0; written < bytes; written += block.length) {
                    out.write(block);
                }
            } catch (java.io.IOException full) {
                // "No space left on device": what a larger fill is for
            }
            return file;
        }

        @Override
        public void close() throws Exception {
            EnhancedSqlite.shutdown(); // a pool's open files would keep the file system busy
            command("umount", root.toString());
        }

        private static void command(String... command) throws Exception {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(String.join(" ", command) + " (needs root): " + output).isZero();
        }
    }
}
