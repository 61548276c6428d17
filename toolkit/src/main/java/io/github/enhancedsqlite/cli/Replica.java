package io.github.enhancedsqlite.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Litestream keeps a replica: {@code file:///dir}, {@code s3://bucket/path} (with an endpoint for an
 * S3-compatible server) or {@code sftp://user@host:port/path} (with a private key file). Checked here, so a typo
 * is a usage error naming the accepted forms instead of a Litestream failure later.
 */
final class Replica {

    private static final String ACCEPTED = "file:///dir, s3://bucket/path or sftp://user@host:port/path";

    private final String url;
    private final String scheme;
    private final String endpoint;
    private final Path sftpKey;

    private Replica(String url, String scheme, String endpoint, Path sftpKey) {
        this.url = url;
        this.scheme = scheme;
        this.endpoint = endpoint;
        this.sftpKey = sftpKey;
    }

    /**
     * @param endpoint an S3-compatible server's URL ({@code s3://} only), or null
     * @param sftpKey  the private key for an {@code sftp://} replica, or null
     */
    static Replica parse(String text, String endpoint, Path sftpKey) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw usage("'" + text + "' is not a URL (" + e.getReason() + "); a replica is " + ACCEPTED);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getAuthority() != null) {
                    throw usage("'" + text + "' names no absolute directory; write file:///absolute/dir");
                }
            }
            case "s3" -> {
                if (uri.getHost() == null || uri.getHost().isBlank()) {
                    throw usage("'" + text + "' names no bucket; write s3://bucket/path");
                }
            }
            case "sftp" -> {
                if (uri.getHost() == null || uri.getUserInfo() == null || uri.getPath() == null
                        || uri.getPath().length() < 2) {
                    throw usage("'" + text + "' needs a user, a host and a path; write sftp://user@host:port/path");
                }
            }
            default -> throw usage("'" + text + "' is not a replica Litestream keeps; a replica is " + ACCEPTED);
        }
        if (endpoint != null) {
            if (!scheme.equals("s3")) {
                throw usage("--endpoint names an S3-compatible server, so it goes with an s3:// replica, not " + text);
            }
            URI server;
            try {
                server = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw usage("--endpoint '" + endpoint + "' is not a URL (" + e.getReason() + ")");
            }
            if (server.getScheme() == null || server.getHost() == null
                    || !(server.getScheme().equals("http") || server.getScheme().equals("https"))) {
                throw usage("--endpoint '" + endpoint + "' is not an http:// or https:// URL");
            }
        }
        if (sftpKey != null) {
            if (!scheme.equals("sftp")) {
                throw usage("--sftp-key goes with an sftp:// replica, not " + text);
            }
            if (!Files.isReadable(sftpKey)) {
                throw new ToolException(ExitCodes.FILE, "--sftp-key " + sftpKey.toAbsolutePath()
                        + " is not a readable file");
            }
        }
        return new Replica(text, scheme, endpoint, sftpKey == null ? null : sftpKey.toAbsolutePath());
    }

    private static ToolException usage(String message) {
        return new ToolException(ExitCodes.USAGE, message);
    }

    /** The replica as given, for messages. */
    String url() {
        return url;
    }

    /**
     * The replica's entry in Litestream's configuration: {@code first} prefixes its first line (a list item in
     * v0.3, a mapping in v0.5), {@code rest} the others. Credentials never appear here.
     */
    void appendYaml(StringBuilder yaml, String first, String rest) {
        yaml.append(first).append("url: ").append(quoted(url)).append('\n');
        if (endpoint != null) {
            yaml.append(rest).append("endpoint: ").append(quoted(endpoint)).append('\n');
            // An S3-compatible server is addressed by path (bucket in the path, not in the host name), and has no
            // regions to discover; a region is still needed to sign requests.
            yaml.append(rest).append("force-path-style: true\n");
            String region = System.getenv("AWS_REGION");
            yaml.append(rest).append("region: ").append(quoted(region == null || region.isBlank() ? "us-east-1"
                    : region)).append('\n');
        }
        if (sftpKey != null) {
            yaml.append(rest).append("key-path: ").append(quoted(sftpKey.toString())).append('\n');
        }
    }

    /** A YAML double-quoted scalar: any path or URL stays one string whatever it contains. */
    static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
