package io.github.enhancedsqlite.it.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 4, the replicas that live elsewhere: an S3 bucket on S3Proxy (127.0.0.1, filesystem backend) and
 * an SFTP directory on a second host (a network namespace of the test's own running OpenSSH). A writer JVM writes
 * while {@code replicate} runs; after a stop the restore equals the source and the replica has one generation.
 */
class RemoteReplicaTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private Path database() throws Exception {
        Path database = dir.resolve("memory.db");
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + database
                + "?replication=litestream"); Statement statement = connection.createStatement()) {
            statement.execute(ReplicatedWriterMain.SCHEMA);
        }
        EnhancedSqlite.shutdown();
        return database;
    }

    /** Replicates while a writer JVM writes 120 entries, stops, restores, and compares. */
    private void replicateWriteRestore(Path database, String replica, Map<String, String> environment,
                                       String... options) throws Exception {
        try (Started replicate = Replication.replicate(database, replica, environment, options)) {
            try (Started writer = Started.java(ReplicatedWriterMain.class, database.toString(),
                    "replication=litestream", "0", "120")) {
                assertThat(writer.awaitExit()).as(writer.output()).isZero();
            }
            assertThat(replicate.terminate()).as(replicate.output()).isZero();
            assertThat(replicate.output()).doesNotContain("sync error").doesNotContain("database is locked");
        }
        Path restored = dir.resolve("restored.db");
        Replication.Run restore = Replication.restore(environment, restored, replica, options);
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(restore.out()).contains("verified").doesNotContain(" 0 compressed values");
        List<String> source = Replication.storedRows(database);
        assertThat(Replication.count(restored, "SELECT count(*) FROM memory_entries")).isEqualTo(120);
        assertThat(Replication.sha256(Replication.storedRows(restored))).isEqualTo(Replication.sha256(source));
    }

    @Test
    void anS3ReplicaOnS3Proxy() throws Exception {
        Path database = database();
        try (S3ProxyServer s3 = S3ProxyServer.start(dir, "replicas")) {
            replicateWriteRestore(database, "s3://replicas/memory", s3.credentials(), "--endpoint", s3.endpoint());
        }
        assertThat(Replication.generations(dir.resolve("s3-data/replicas/memory"))).hasSize(1);
    }

    @Test
    void anSftpReplicaOnASecondHost() throws Exception {
        Path database = database();
        Path directory = dir.resolve("sftp-replica");
        try (SftpHost host = SftpHost.start(dir)) {
            replicateWriteRestore(database, host.replicaUrl(directory), Map.of(), "--sftp-key",
                    host.clientKey().toString());
        }
        assertThat(Replication.generations(directory)).hasSize(1);
    }
}
