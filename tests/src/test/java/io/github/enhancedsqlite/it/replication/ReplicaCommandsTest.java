package io.github.enhancedsqlite.it.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 points 1 and 2 at the toolkit: what {@code replicate} and {@code restore} refuse (with the exit codes of
 * the other commands), that restore's verify keeps a damaged copy at OUT.partial, and that the other commands pass
 * Litestream's tables by ({@code export}, {@code migrate}, {@code verify}) or show them apart ({@code inspect}).
 */
class ReplicaCommandsTest {

    private static final int PROBLEMS = 1;
    private static final int USAGE = 2;
    private static final int FILE = 3;
    private static final int FAILED = 5;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void restoreRefusesAnExistingOut() throws Exception {
        Path out = dir.resolve("taken.db");
        Files.writeString(out, "keep me");
        Replication.Run run = Replication.restore(out, "file://" + dir.resolve("replica"));
        assertThat(run.exitCode()).isEqualTo(FILE);
        assertThat(run.err()).contains(out + " already exists").contains("nothing is overwritten");
        assertThat(Files.readString(out)).isEqualTo("keep me");
    }

    @Test
    void badArgumentsAreUsageErrorsNamingWhatIsAccepted() {
        Path out = dir.resolve("out.db");
        Replication.Run scheme = Replication.restore(out, "http://example.com/replica");
        assertThat(scheme.exitCode()).isEqualTo(USAGE);
        assertThat(scheme.err()).contains("file:///dir, s3://bucket/path or sftp://user@host:port/path");

        Replication.Run endpoint = Replication.restore(out, "file://" + dir, "--endpoint", "http://127.0.0.1:1");
        assertThat(endpoint.exitCode()).isEqualTo(USAGE);
        assertThat(endpoint.err()).contains("--endpoint names an S3-compatible server");

        Replication.Run moment = Replication.restore(out, "file://" + dir, "--timestamp", "2026-01-31T12:00:00");
        assertThat(moment.exitCode()).isEqualTo(USAGE);
        assertThat(moment.err()).contains("with a UTC offset, e.g. 2026-01-31T12:00:00Z");

        Replication.Run sftp = Replication.restore(out, "sftp://host/path");
        assertThat(sftp.exitCode()).isEqualTo(USAGE);
        assertThat(sftp.err()).contains("needs a user, a host and a path");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingBinaryIsNamedWithHowToGetIt() throws Exception {
        Path database = dir.resolve("db.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t(x)");
        }
        Replication.Run run = Replication.toolkit("replicate", database.toString(), "--to", "file://" + dir,
                "--litestream", dir.resolve("no-such-litestream").toString());
        assertThat(run.exitCode()).isEqualTo(FILE);
        assertThat(run.err()).contains("--litestream names " + dir.resolve("no-such-litestream"))
                .contains("@flydotio/litestream-linux-x64");

        Replication.Run notLitestream = Replication.toolkit("replicate", database.toString(), "--to",
                "file://" + dir, "--litestream", "/bin/true");
        assertThat(notLitestream.exitCode()).isEqualTo(FILE);
        assertThat(notLitestream.err()).contains("names no version; is it litestream?");

        Replication.Run missingDatabase = Replication.toolkit("replicate", dir.resolve("none.db").toString(), "--to",
                "file://" + dir, "--litestream", LitestreamBinary.path().toString());
        assertThat(missingDatabase.exitCode()).isEqualTo(FILE);
        assertThat(missingDatabase.err()).contains("does not exist");
    }

    @Test
    void aReplicaWithoutBackupsFailsAndWritesNothing() {
        Path out = dir.resolve("out.db");
        Replication.Run run = Replication.restore(out, "file://" + dir.resolve("empty-replica"));
        assertThat(run.exitCode()).isEqualTo(FAILED);
        assertThat(run.err()).contains("no matching backups found").contains("nothing was written to " + out);
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("out.db.partial")).doesNotExist();
    }

    /**
     * A database whose stored value was damaged is replicated faithfully; restore's verify finds the value, and the
     * copy stays at OUT.partial. The same file, now carrying Litestream's tables, shows how the other commands
     * treat them.
     */
    @Test
    void restoreVerifiesTheCopyAndTheOtherCommandsPassLitestreamsTablesBy() throws Exception {
        Path database = dir.resolve("memory.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + database
                + "?replication=litestream"); Statement statement = connection.createStatement()) {
            statement.execute(ReplicatedWriterMain.SCHEMA);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO memory_entries(key, namespace, value, updated) VALUES (?, 'agent', ?, 1)")) {
                for (int n = 0; n < 8; n += 4) { // every fourth value is a 4 KB snapshot: stored compressed
                    insert.setString(1, ReplicatedWriterMain.key(n));
                    insert.setString(2, ReplicatedWriterMain.value(n));
                    insert.executeUpdate();
                }
            }
        }
        EnhancedSqlite.shutdown();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement read = plain.prepareStatement("SELECT value FROM memory_entries WHERE key = 'entry-4'");
             PreparedStatement write = plain.prepareStatement(
                     "UPDATE memory_entries SET value = ? WHERE key = 'entry-4'")) {
            // one byte of the compressed payload of entry-4 flipped: its checksum no longer matches
            byte[] stored;
            try (ResultSet row = read.executeQuery()) {
                row.next();
                stored = row.getBytes(1);
            }
            stored[40] ^= 0x5A;
            write.setBytes(1, stored);
            write.executeUpdate();
        }
        List<String> damagedRows = Replication.storedRows(database);
        String replica = "file://" + dir.resolve("replica");
        try (Started replicate = Replication.replicate(database, replica, Map.of())) {
            assertThat(replicate.terminate()).as(replicate.output()).isZero();
        }

        Path out = dir.resolve("restored.db");
        Replication.Run restore = Replication.restore(out, replica);
        assertThat(restore.exitCode()).as(restore.all()).isEqualTo(PROBLEMS);
        assertThat(restore.out()).contains("PROBLEM table memory_entries, column value, rowid 2")
                .contains("it stays at " + dir.resolve("restored.db.partial"));
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("restored.db.partial")).exists();

        assertThat(Replication.count(database, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                + " ('_litestream_seq', '_litestream_lock')")).isEqualTo(2);
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + database
                + "?replication=litestream");
             ResultSet listed = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            assertThat(listed.next()).isTrue();
            assertThat(listed.getString("TABLE_NAME")).isEqualTo("memory_entries");
            assertThat(listed.next()).as("Litestream's tables are not listed").isFalse();
        }
        EnhancedSqlite.shutdown();
        Replication.Run inspect = Replication.toolkit("inspect", database.toString());
        assertThat(inspect.exitCode()).as(inspect.all()).isZero();
        String tables = inspect.out().substring(inspect.out().indexOf("Tables"), inspect.out().indexOf("Indexes"));
        assertThat(tables).contains("memory_entries").doesNotContain("_litestream");
        String litestream = inspect.out().substring(inspect.out().indexOf("Litestream"));
        assertThat(litestream).contains("_litestream_seq").contains("_litestream_lock")
                .contains(".memory.db-litestream");

        Replication.Run verify = Replication.toolkit("verify", database.toString());
        assertThat(verify.exitCode()).isEqualTo(PROBLEMS);
        assertThat(verify.out()).contains("PROBLEM table memory_entries").doesNotContain("_litestream");

        // repaired (entry-4 written again through the driver), the file exports and migrates without them
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + database
                + "?replication=litestream"); PreparedStatement update = connection.prepareStatement(
                        "UPDATE memory_entries SET value = ? WHERE key = 'entry-4'")) {
            update.setString(1, ReplicatedWriterMain.value(4));
            update.executeUpdate();
        }
        EnhancedSqlite.shutdown();
        assertThat(Replication.storedRows(database)).isNotEqualTo(damagedRows);
        Replication.Run verified = Replication.toolkit("verify", database.toString());
        assertThat(verified.exitCode()).as(verified.all()).isZero();

        Path exported = dir.resolve("exported.db");
        Replication.Run export = Replication.toolkit("export", database.toString(), exported.toString());
        assertThat(export.exitCode()).as(export.all()).isZero();
        assertThat(export.all()).doesNotContain("_litestream");
        assertThat(Replication.count(exported, "SELECT count(*) FROM sqlite_schema WHERE name LIKE"
                + " '\\_litestream\\_%' ESCAPE '\\'")).isZero();
        assertThat(Replication.count(exported, "SELECT count(*) FROM memory_entries")).isEqualTo(2);

        Replication.Run migrate = Replication.toolkit("migrate", database.toString());
        assertThat(migrate.exitCode()).as(migrate.all()).isZero();
        assertThat(migrate.all()).doesNotContain("_litestream");
        assertThat(Replication.count(database, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                + " ('_litestream_seq', '_litestream_lock')")).isEqualTo(2);
    }
}
