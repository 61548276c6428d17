package io.github.enhancedsqlite.it.replication;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy (Maven Central's {@code org.gaul:s3proxy}, the jar with its dependencies the tests module's build copies)
 * in a child JVM: an S3-compatible server on 127.0.0.1 whose buckets are directories of a test's temporary folder.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String IDENTITY = "replication-test";
    static final String CREDENTIAL = "replication-test-secret";

    private final Started process;
    private final String endpoint;

    private S3ProxyServer(Started process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the server with one empty bucket, and waits until it serves. */
    static S3ProxyServer start(Path directory, String bucket) throws IOException, InterruptedException {
        String jar = System.getProperty("enhancedsqlite.s3proxy");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new AssertionError("S3Proxy's jar is copied by the tests module's build (mvn verify); found " + jar);
        }
        Path data = Files.createDirectories(directory.resolve("s3-data"));
        Files.createDirectories(data.resolve(bucket));
        String endpoint = "http://127.0.0.1:" + freePort();
        Path properties = directory.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=" + IDENTITY, // the backend asks for them, though a directory checks none
                "jclouds.credential=" + CREDENTIAL,
                "jclouds.filesystem.basedir=" + data) + "\n");
        Started process = Started.start("S3Proxy", List.of(Started.javaBinary(), "-jar", jar, "--properties",
                properties.toString()), Map.of());
        try {
            process.awaitLine("S3Proxy serves", line -> line.contains("Started Server"));
        } catch (AssertionError | InterruptedException e) {
            process.close();
            throw e;
        }
        return new S3ProxyServer(process, endpoint);
    }

    /** A port free now; S3Proxy binds it a moment later (nothing else on this machine hands out such ports). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String endpoint() {
        return endpoint;
    }

    /** The credentials Litestream reads from its environment. */
    Map<String, String> credentials() {
        return Map.of("LITESTREAM_ACCESS_KEY_ID", IDENTITY, "LITESTREAM_SECRET_ACCESS_KEY", CREDENTIAL);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
