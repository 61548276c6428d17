package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user gets for files the toolkit cannot use: one sentence naming the file and what is wrong, and the
 * documented exit code. The first tests run the real -all jar, as a user does.
 */
class FileErrorsTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aMissingFileIsExitCode3() throws Exception {
        Path missing = dir.resolve("missing.db");

        Toolkit.Run run = Toolkit.jar("inspect", missing);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
        assertThat(run.err()).contains(missing + " does not exist");
        assertThat(missing).as("nothing is created").doesNotExist();
    }

    @Test
    void aFileThatIsNotSqliteIsExitCode3() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "just some text, long enough to fill a header\n");

        Toolkit.Run run = Toolkit.jar("verify", text);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
        assertThat(run.err()).contains(text + " is not a SQLite database");
    }

    @Test
    void aCorruptFileIsExitCode3() throws Exception {
        Path db = database("corrupt.db");
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            file.seek(100); // keep the 100-byte header, destroy the schema page behind it
            file.write("garbage".repeat(500).getBytes(StandardCharsets.US_ASCII));
        }

        Toolkit.Run run = Toolkit.jar("inspect", db);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
        assertThat(run.err()).contains(db.toString()).containsAnyOf("is corrupt", "is not a SQLite database");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void wrongUsageIsExitCode2AndHelpListsTheExitCodes() throws Exception {
        Toolkit.Run wrong = Toolkit.jar("backup", "only-one-argument.db");
        Toolkit.Run help = Toolkit.jar("migrate", "--help");

        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("Missing required parameter", "OUT");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--dry-run", "Exit codes:", "refused as unsafe");
    }

    @Test
    void anExistingOutputIsNeverOverwritten() throws Exception {
        Path db = database("source.db");
        Path existing = Files.writeString(dir.resolve("existing.db"), "keep me");

        Toolkit.Run run = Toolkit.run("backup", db, existing);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains(existing + " already exists");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void aReadOnlyLocationIsExitCode3() throws Exception {
        Path db = database("source.db");
        Path locked = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(locked), "file permissions do not bind this user (root)");

            Toolkit.Run run = Toolkit.run("export", db, locked.resolve("plain.db"));

            assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
            assertThat(run.err()).contains("read-only");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Root ignores permission bits, but not a file system that refuses new files (sysfs); tried, not guessed. */
    @Test
    void aLocationThatRefusesNewFilesIsExitCode3EvenForRoot() throws Exception {
        Path sys = Path.of("/sys");
        Assumptions.assumeTrue(Files.isDirectory(sys) && !Files.exists(sys.resolve("plain.db")), "no /sys here");
        Path db = database("source-for-sys.db");

        Toolkit.Run run = Toolkit.run("export", db, sys.resolve("plain.db"));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
        assertThat(run.err()).contains("cannot create /sys/plain.db: the directory is read-only");
    }

    @Test
    void rollbackWithoutABackupIsRefusedWithExitCode4() throws Exception {
        Path db = database("never-migrated.db");

        Toolkit.Run run = Toolkit.run("rollback", db);

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("no pre-migration backup");
    }

    @Test
    void rollbackRefusesWhileAnotherConnectionHasTheDatabaseOpen() throws Exception {
        Path db = database("busy.db");
        Toolkit.Run migrate = Toolkit.run("migrate", db);
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        long compressed = Toolkit.number(db, "SELECT count(*) FROM notes WHERE typeof(body) = 'blob'");
        assertThat(compressed).isPositive();

        Toolkit.Run refused;
        try (Connection user = Toolkit.plain(db); Statement statement = user.createStatement()) {
            statement.executeQuery("SELECT count(*) FROM notes").close(); // an application holding it open, in WAL mode
            refused = Toolkit.run("rollback", db);
        }

        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(4);
        assertThat(refused.err()).contains("is in use by another process", "nothing was restored");
        assertThat(Toolkit.number(db, "SELECT count(*) FROM notes WHERE typeof(body) = 'blob'")).isEqualTo(compressed);
        assertThat(Toolkit.run("rollback", db).exitCode()).as("once it is closed").isZero();
        assertThat(Toolkit.number(db, "SELECT count(*) FROM notes WHERE typeof(body) = 'blob'")).isZero();
    }

    private Path database(String name) throws Exception {
        Path db = dir.resolve(name);
        try (Connection connection = Toolkit.plain(db); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)");
            statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
                    + " INSERT INTO notes(body) SELECT printf('%.600c', 'x') || i FROM n");
        }
        return db;
    }
}
