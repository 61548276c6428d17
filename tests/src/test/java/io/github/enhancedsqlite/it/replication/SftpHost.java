package io.github.enhancedsqlite.it.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A second host for SFTP replicas: a network namespace of its own, joined to this one by a veth pair with a /30 of
 * its own, running Debian's OpenSSH server with a key made for the test. Needs root (ip netns) and openssh-server
 * ({@code apt-get install -y openssh-server}); without either the test fails saying so.
 */
final class SftpHost implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final int PORT = 2222;

    private final String namespace;
    private final String address;
    private final Path clientKey;
    private final Started sshd;

    private SftpHost(String namespace, String address, Path clientKey, Started sshd) {
        this.namespace = namespace;
        this.address = address;
        this.clientKey = clientKey;
        this.sshd = sshd;
    }

    static SftpHost start(Path directory) throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new AssertionError(SSHD + " is missing: the SFTP replica test runs Debian's OpenSSH server on a"
                    + " second host; install it with `apt-get install -y openssh-server` (.ci/run does)");
        }
        // short names: interface names have at most 15 characters
        int id = ThreadLocalRandom.current().nextInt(1, 250);
        String namespace = "esq-sftp-" + ProcessHandle.current().pid() + "-" + id;
        String hostSide = "esqh" + id;
        String address = "10.231." + id + ".2";
        run("ip", "netns", "add", namespace);
        try {
            run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "esqs" + id);
            run("ip", "link", "set", "esqs" + id, "netns", namespace);
            run("ip", "addr", "add", "10.231." + id + ".1/30", "dev", hostSide);
            run("ip", "link", "set", hostSide, "up");
            run("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/30", "dev", "esqs" + id);
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "esqs" + id, "up");
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");

            Path keys = Files.createDirectories(directory.resolve("sftp-keys"));
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("host_key").toString());
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("client_key").toString());
            Files.copy(keys.resolve("client_key.pub"), keys.resolve("authorized_keys"));
            Path config = keys.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                    "Port " + PORT,
                    "ListenAddress " + address,
                    "HostKey " + keys.resolve("host_key"),
                    "AuthorizedKeysFile " + keys.resolve("authorized_keys"),
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    "StrictModes no", // the test's temporary folder is not laid out like a home directory
                    "PidFile " + keys.resolve("sshd.pid"),
                    "Subsystem sftp internal-sftp") + "\n", StandardCharsets.UTF_8);
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
            Started sshd = Started.start("sshd", List.of("ip", "netns", "exec", namespace, SSHD.toString(), "-D",
                    "-e", "-f", config.toString()), Map.of());
            sshd.awaitLine("sshd listens", line -> line.contains("Server listening on " + address));
            return new SftpHost(namespace, address, keys.resolve("client_key"), sshd);
        } catch (IOException | InterruptedException | AssertionError e) {
            runQuietly("ip", "netns", "del", namespace);
            throw e;
        }
    }

    /** An sftp:// replica URL for a directory (the namespace shares this machine's file system). */
    String replicaUrl(Path directory) {
        return "sftp://" + System.getProperty("user.name") + "@" + address + ":" + PORT + directory.toAbsolutePath();
    }

    Path clientKey() {
        return clientKey;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("`" + String.join(" ", command) + "` failed (the SFTP host needs root and"
                    + " iproute2): " + output);
        }
    }

    private static void runQuietly(String... command) {
        try {
            new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            // nothing more to tidy
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sshd and deletes the namespace, which takes its end of the veth pair and so the pair with it. */
    @Override
    public void close() throws InterruptedException {
        try {
            sshd.terminate();
        } finally {
            runQuietly("ip", "netns", "del", namespace);
        }
    }
}
