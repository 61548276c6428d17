package io.github.enhancedsqlite.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code replicate} and {@code restore} share: which Litestream, and how to reach the replica. */
final class LitestreamOptions {

    @Option(names = "--litestream", paramLabel = "PATH",
            description = "the litestream binary (default: $LITESTREAM_BIN, else litestream on PATH)")
    Path binary;

    @Option(names = "--endpoint", paramLabel = "URL", description = "an S3-compatible server, for s3:// replicas")
    String endpoint;

    @Option(names = "--sftp-key", paramLabel = "FILE", description = "private key file, for sftp:// replicas")
    Path sftpKey;

    /** The replica a command names, checked with these options. */
    Replica replica(String url) {
        return Replica.parse(url, endpoint, sftpKey);
    }

    Litestream litestream() {
        return Litestream.find(binary);
    }
}
