package io.github.enhancedsqlite.it.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The toolkit's {@code replicate} (in its own JVM from the drop-in jar, as a user runs it, so SIGTERM reaches it)
 * and {@code restore} (in this JVM), with the real Litestream; and how tests compare databases.
 */
final class Replication {

    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Replication() {
    }

    /** {@code java -jar …-all.jar replicate DB --to REPLICA options…}, Litestream found through LITESTREAM_BIN. */
    static Started replicate(Path database, String replica, Map<String, String> environment, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Started.javaBinary(), "-jar",
                LitestreamBinary.allJar().toString(), "replicate", database.toString(), "--to", replica));
        command.addAll(List.of(options));
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("LITESTREAM_BIN", LitestreamBinary.path().toString());
        Started replicate = Started.start("replicate", command, variables);
        // the first sync writes a snapshot, then the WAL as its first segment
        replicate.awaitLine("Litestream's first sync of the database", line -> line.contains("wal segment written"));
        return replicate;
    }

    /** {@code restore OUT --from REPLICA options… --litestream PATH}, in this JVM. */
    static Run restore(Path out, String replica, String... options) {
        List<String> arguments = new ArrayList<>(List.of("restore", out.toString(), "--from", replica,
                "--litestream", LitestreamBinary.path().toString()));
        arguments.addAll(List.of(options));
        return toolkit(arguments.toArray(String[]::new));
    }

    /**
     * {@code restore} from the drop-in jar in its own JVM, for a Litestream that needs variables this JVM lacks
     * (an S3 server's credentials).
     */
    static Run restore(Map<String, String> environment, Path out, String replica, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Started.javaBinary(), "-jar",
                LitestreamBinary.allJar().toString(), "restore", out.toString(), "--from", replica));
        command.addAll(List.of(options));
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("LITESTREAM_BIN", LitestreamBinary.path().toString());
        try (Started restore = Started.start("restore", command, variables)) {
            int exitCode = restore.awaitExit();
            return new Run(exitCode, restore.output(), "");
        }
    }

    static Run toolkit(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), arguments);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /**
     * Restores the latest state again and again until it has {@code rows} entries: Litestream copies the WAL once a
     * second, so this is how a test knows the replica caught up (each probe is a real restore).
     */
    static void awaitReplicaRows(Path directory, String replica, long rows, String... options) throws SQLException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long found = -1;
        for (int probe = 0; System.nanoTime() < giveUp; probe++) {
            Path copy = directory.resolve("probe-" + probe + ".db");
            Run restore = restore(copy, replica, options);
            assertThat(restore.exitCode()).as(restore.all()).isZero();
            found = count(copy, "SELECT count(*) FROM memory_entries");
            if (found == rows) {
                return;
            }
        }
        throw new AssertionError("the replica never reached " + rows + " entries; last restore had " + found);
    }

    static long count(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * Every row of every table as stored (compressed values as their envelopes, the driver's and Litestream's tables
     * too), in rowid order, read through plain sqlite-jdbc: equal dumps are equal databases.
     */
    static List<String> storedRows(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet names = statement.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'"
                         + " AND name NOT LIKE 'sqlite%' ORDER BY name")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            List<String> rows = new ArrayList<>();
            for (String table : tables) {
                rows.addAll(rows(connection, "SELECT * FROM \"" + table + "\" ORDER BY rowid", table));
            }
            return rows;
        }
    }

    /** The entries as the application reads them (values decoded), through the driver. */
    static List<String> entries(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            return rows(connection, "SELECT key, namespace, value, updated FROM memory_entries ORDER BY key", "entry");
        }
    }

    private static List<String> rows(Connection connection, String sql, String label) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder(label);
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    row.append('|').append(value instanceof byte[] bytes ? "blob:" + HexFormat.of().formatHex(bytes)
                            : value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    static String sha256(List<String> rows) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String row : rows) {
                digest.update(row.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Litestream's generations in a replica kept on this machine's file system. */
    static List<Path> generations(Path replicaDirectory) throws IOException {
        Path generations = replicaDirectory.resolve("generations");
        if (!Files.isDirectory(generations)) {
            return List.of();
        }
        try (Stream<Path> listed = Files.list(generations)) {
            return listed.toList();
        }
    }

    /** The keys a writer printed as acknowledged. */
    static List<String> acknowledged(Started writer) {
        return writer.lines().stream().filter(line -> line.startsWith("acked ")).map(line -> line.substring(6))
                .toList();
    }

    /** What a writer printed as its pool's close time, in ms. */
    static double poolCloseMillis(Started writer) {
        return writer.lines().stream().filter(line -> line.startsWith("pool-close-ms ")).findFirst()
                .map(line -> Double.parseDouble(line.substring("pool-close-ms ".length())))
                .orElseThrow(() -> new AssertionError("the writer did not close its pool:\n" + writer.output()));
    }
}
