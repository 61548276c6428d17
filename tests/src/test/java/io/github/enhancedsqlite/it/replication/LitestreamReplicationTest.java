package io.github.enhancedsqlite.it.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 points 1–4 with the real Litestream (v0.3.13 from the npm registry) replicating to a file replica while
 * short-lived writer JVMs use the driver with {@code replication=litestream}: Litestream syncs without an error in
 * one generation; the latest restore equals the source; a point-in-time restore has exactly the entries committed
 * by the recorded moment; after {@code kill -9} of a writer and a stopped Litestream every acknowledged write is in
 * the restore; the restored copy opens read-only through the driver.
 *
 * <p>Each writer's pool close is printed as a measured figure (bench/RESULTS.md); it is a timing, so nothing here
 * asserts on it.
 */
class LitestreamReplicationTest {

    private static final String QUERY = "replication=litestream";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Started writer(Path database, int first, int count) throws Exception {
        return Started.java(ReplicatedWriterMain.class, database.toString(), QUERY, Integer.toString(first),
                Integer.toString(count));
    }

    private List<Double> runWriters(Path database, int... firstAndCount) throws Exception {
        List<Started> writers = new ArrayList<>();
        for (int i = 0; i < firstAndCount.length; i += 2) {
            writers.add(writer(database, firstAndCount[i], firstAndCount[i + 1]));
        }
        List<Double> closes = new ArrayList<>();
        for (Started writer : writers) {
            try (writer) {
                assertThat(writer.awaitExit()).as(writer.output()).isZero();
                closes.add(Replication.poolCloseMillis(writer));
            }
        }
        return closes;
    }

    @Test
    void writersReplicateAndEveryRestoreHoldsWhatWasCommitted() throws Exception {
        Path database = dir.resolve("memory.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + database + "?" + QUERY);
             Statement statement = connection.createStatement()) {
            statement.execute(ReplicatedWriterMain.SCHEMA);
        }
        EnhancedSqlite.shutdown();
        Path replicaDirectory = dir.resolve("replica");
        String replica = "file://" + replicaDirectory;
        List<Double> poolCloses = new ArrayList<>();

        Started replicate = Replication.replicate(database, replica, Map.of());
        List<String> killedWritersAcks;
        List<String> atMoment;
        Instant moment;
        try (replicate) {
            // two writers at once, then wait until the replica has their 200 entries
            poolCloses.addAll(runWriters(database, 0, 100, 100, 100));
            Replication.awaitReplicaRows(dir, replica, 200);
            atMoment = Replication.storedRows(database);
            moment = Instant.now();

            poolCloses.addAll(runWriters(database, 200, 100, 300, 100));

            // 400 more entries take the WAL past Litestream's 1000-page mark while this writer writes, so Litestream
            // checkpoints under it (holding the write lock through _litestream_lock): busy retry must absorb that
            try (Started killed = writer(database, 400, -1)) {
                killed.awaitLine("400 acknowledged writes", line -> line.equals("acked entry-799"));
                killed.kill();
                killedWritersAcks = Replication.acknowledged(killed);
            }
            assertThat(replicate.terminate()).as(replicate.output()).isZero();
        }
        System.out.println("pool close ms with Litestream replicating (replication=litestream): " + poolCloses);

        String litestreamOutput = replicate.output();
        assertThat(litestreamOutput).containsAnyOf("litestream stopped cleanly", "its final sync went through")
                .doesNotContain("sync error").doesNotContain("database is locked");
        assertThat(Replication.generations(replicaDirectory)).hasSize(1);

        Path latest = dir.resolve("latest.db");
        Replication.Run restored = Replication.restore(latest, replica);
        assertThat(restored.exitCode()).as(restored.all()).isZero();
        assertThat(restored.out()).contains("Restored " + replica + " to " + latest).contains("verified")
                .doesNotContain(" 0 compressed values");
        assertThat(latest.resolveSibling("latest.db.partial")).doesNotExist();

        // every write acknowledged before the kill (and so before Litestream's last sync, at its stop) is there
        assertThat(killedWritersAcks).hasSizeGreaterThanOrEqualTo(400);
        List<String> restoredKeys = keys(latest);
        assertThat(restoredKeys).containsAll(killedWritersAcks);

        // the restore equals the source: stored bytes (checksum), and what the application reads through the driver,
        // the copy opened read-only
        List<String> source = Replication.storedRows(database);
        // rows first: a difference is then shown row by row (seen once in a full run, not reproduced since)
        assertThat(Replication.storedRows(latest)).isEqualTo(source);
        assertThat(Replication.sha256(Replication.storedRows(latest))).isEqualTo(Replication.sha256(source));
        String readOnlyCopy = "jdbc:enhanced-sqlite:file:" + latest + "?mode=ro";
        assertThat(Replication.entries(readOnlyCopy))
                .isEqualTo(Replication.entries("jdbc:enhanced-sqlite:" + database + "?" + QUERY));
        try (Connection copy = DriverManager.getConnection(readOnlyCopy); Statement statement = copy.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM memory_entries"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("readonly");
        }

        // the moment recorded between the rounds: exactly the entries committed by then
        Path then = dir.resolve("then.db");
        Replication.Run pointInTime = Replication.restore(then, replica, "--timestamp", moment.toString());
        assertThat(pointInTime.exitCode()).as(pointInTime.all()).isZero();
        assertThat(Replication.storedRows(then)).isEqualTo(atMoment);
        assertThat(Replication.count(then, "SELECT count(*) FROM memory_entries")).isEqualTo(200);
    }

    private static List<String> keys(Path file) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key FROM memory_entries")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }
}
