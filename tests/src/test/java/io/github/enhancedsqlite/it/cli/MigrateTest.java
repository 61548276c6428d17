package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migrate's plan, its refusals, and how it resumes a migration that was interrupted. */
class MigrateTest {

    private static final int ROWS = 300;

    @TempDir
    Path dir;

    private Path db;
    private Path backup;
    private List<String> original;

    @BeforeEach
    void plainDatabase() throws Exception {
        db = dir.resolve("notes.db");
        backup = dir.resolve("notes.db.pre-migration");
        try (Connection connection = Toolkit.plain(db); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, tag TEXT UNIQUE, body TEXT, data BLOB)");
            statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
                    + " INSERT INTO notes(tag, body, data) SELECT 'tag' || i,"
                    + " printf('{\"note\": %d, \"text\": \"%s\"}', i, printf('%.400c', 'a')), zeroblob(300 + i) FROM n");
        }
        original = Toolkit.dump(db);
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aDryRunShowsThePlanAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(db);

        Toolkit.Run run = Toolkit.run("migrate", db, "--dry-run");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("Plan for", "notes.body", "notes.data", "Dry run").doesNotContain("notes.tag");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(backup).doesNotExist();
    }

    @Test
    void aColumnThatCannotBeCompressedIsAUsageError() {
        Toolkit.Run run = Toolkit.run("migrate", db, "--columns", "notes.tag");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("notes.tag cannot be compressed", "compressible columns of notes");
        assertThat(backup).doesNotExist();
    }

    @Test
    void anInterruptedMigrationResumesAndKeepsTheFirstBackup() throws Exception {
        // the state an interrupted run leaves: its backup taken, the first chunks compressed by the driver; killed,
        // its pool never closed, so no dictionary was trained and no value moved onto one
        assertThat(Toolkit.run("backup", db, backup).exitCode()).isZero();
        byte[] firstBackup = Files.readAllBytes(backup);
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + db
                + "?compress=notes.body&compressDictionarySamples=0");
             PreparedStatement rewrite = connection.prepareStatement("UPDATE notes SET body = ? WHERE id = ?")) {
            for (int id = 1; id <= 100; id++) {
                rewrite.setString(1, Toolkit.strings(connection, "SELECT body FROM notes WHERE id = " + id).get(0));
                rewrite.setInt(2, id);
                rewrite.executeUpdate();
            }
        }
        EnhancedSqlite.shutdown();
        assertThat(envelopes("body")).isEqualTo(100);

        Toolkit.Run run = Toolkit.run("migrate", db, "--columns", "notes.body", "--chunk-rows", "64");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("resuming", "keeping " + backup, (ROWS - 100) + " values rewritten");
        assertThat(envelopes("body")).isEqualTo(ROWS);
        assertThat(Files.readAllBytes(backup)).as("the first backup is kept").isEqualTo(firstBackup);
        assertThat(Toolkit.run("rollback", db).exitCode()).isZero();
        assertThat(Toolkit.dump(db)).isEqualTo(original);
    }

    @Test
    void aBackupThatIsNotFromThisMigrationIsNotTakenForOne() throws Exception {
        Files.writeString(backup, "an older file of the user's");

        Toolkit.Run run = Toolkit.run("migrate", db);

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains(backup + " exists", "move it away");
        assertThat(envelopes("body")).isZero();
    }

    @Test
    void textAndBlobColumnsMigrateAndExportBackExactly() throws Exception {
        long sizeBefore = Files.size(db);

        Toolkit.Run run = Toolkit.run("migrate", db, "--chunk-rows", "50");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(Files.size(db) + (Files.exists(dir.resolve("notes.db-wal")) ? Files.size(dir.resolve("notes.db-wal")) : 0))
                .as("one VACUUM returned what compression freed").isLessThan(sizeBefore);
        assertThat(Toolkit.number(db, "PRAGMA auto_vacuum")).as("incremental from now on").isEqualTo(2);
        assertThat(envelopes("body")).isEqualTo(ROWS);
        assertThat(envelopes("data")).isEqualTo(ROWS);
        assertThat(Toolkit.number(db, "SELECT count(*) FROM _enhanced_sqlite_dictionaries")).as("trained").isPositive();
        assertThat(run.out()).contains("[5/5] report", "notes.body bytes");

        Path exported = dir.resolve("plain.db");
        assertThat(Toolkit.run("export", db, exported).exitCode()).isZero();
        assertThat(Toolkit.dump(exported)).isEqualTo(original);
    }

    private long envelopes(String column) throws Exception {
        return Toolkit.number(db, "SELECT count(*) FROM notes WHERE typeof(" + column + ") = 'blob' AND substr("
                + column + ", 1, 4) = x'EC45535A'");
    }
}
