package io.github.enhancedsqlite.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Runs toolkit commands (in this JVM, or from the real -all jar in a child JVM) and reads databases plainly. */
final class Toolkit {

    /** A hung child must not hang the build; this bounds the wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 2;

    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Toolkit() {
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] arguments = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), arguments);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** {@code java -jar enhanced-sqlite-jdbc-<version>-all.jar args...}, as a user runs it. */
    static Run jar(Object... args) throws IOException, InterruptedException {
        String property = System.getProperty("enhancedsqlite.allJar");
        Assumptions.assumeTrue(property != null, "enhancedsqlite.allJar is set by the Maven build (run mvn verify)");
        Path jar = Path.of(property);
        assertThat(jar).as("the -all jar (built by `mvn verify`)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
        Stream.of(args).map(String::valueOf).forEach(command::add);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = drain(process.getInputStream(), out);
        Thread errReader = drain(process.getErrorStream(), err);
        if (!process.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        outReader.join();
        errReader.join();
        return new Run(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Thread drain(InputStream stream, ByteArrayOutputStream target) {
        Thread reader = new Thread(() -> {
            try (stream) {
                stream.transferTo(target);
            } catch (IOException e) {
                // the process was killed; what was read is kept
            }
        }, "toolkit-output");
        reader.start();
        return reader;
    }

    /** The agent-memory corpus (not in the repository); the test is skipped where it is absent. */
    static List<Path> corpus() throws IOException {
        String property = System.getProperty("enhancedsqlite.corpus");
        Path corpus = property == null ? null : Path.of(property);
        Assumptions.assumeTrue(corpus != null && Files.isDirectory(corpus),
                "the agent-memory corpus is not part of the repository; enhancedsqlite.corpus=" + property);
        try (Stream<Path> files = Files.list(corpus)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".db")).sorted().toList();
        }
    }

    /** A writable copy of a read-only corpus database with the sidecars it came with. */
    static Path copy(Path source, Path directory) throws IOException {
        Path target = directory.resolve(source.getFileName());
        Files.copy(source, target);
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path sidecar = source.resolveSibling(source.getFileName() + suffix);
            if (Files.exists(sidecar)) {
                Files.copy(sidecar, directory.resolve(sidecar.getFileName()));
            }
        }
        for (Path file : new Path[] {target, directory.resolve(source.getFileName() + "-wal"),
                directory.resolve(source.getFileName() + "-shm")}) {
            if (Files.exists(file)) {
                file.toFile().setWritable(true);
            }
        }
        return target;
    }

    /** A WAL database with the tables {@link LedgerWriterMain} writes, its totals at zero. */
    static void createLedger(Path db) throws SQLException {
        try (Connection connection = plain(db); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("CREATE TABLE ledger(id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, note TEXT)");
            statement.execute("CREATE TABLE totals(entries INTEGER NOT NULL, amount INTEGER NOT NULL)");
            statement.execute("INSERT INTO totals VALUES (0, 0)");
        }
    }

    /** Starts {@link LedgerWriterMain} in a child JVM on {@code db}; it stops once {@code stop} exists. */
    static Process startLedgerWriter(Path db, Path stop) throws IOException {
        String surefire = System.getProperty("surefire.test.class.path");
        String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return new ProcessBuilder(javaBinary(), "-cp", classPath, LedgerWriterMain.class.getName(), db.toString(),
                stop.toString()).redirectErrorStream(true).start();
    }

    static Connection plain(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /**
     * Every row of every user table (not sqlite_* nor the driver's), in rowid order, each value with its storage
     * class: equal dumps mean the same rows with the same types and bytes.
     */
    static List<String> dump(Path file) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = plain(file)) {
            for (String table : strings(connection, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_enhanced\\_sqlite\\_%' ESCAPE '\\'"
                    + " ORDER BY name")) {
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY rowid")) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = result.getObject(i);
                            row.append('|').append(value == null ? "null" : value instanceof byte[] bytes
                                    ? "blob:" + HexFormat.of().formatHex(bytes)
                                    : value.getClass().getSimpleName() + ":" + value);
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    static long number(Path file, String sql) throws SQLException {
        try (Connection connection = plain(file); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
