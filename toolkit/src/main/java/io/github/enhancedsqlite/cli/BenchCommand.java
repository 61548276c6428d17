package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the agent-memory operations (get by key, update of a value, LIKE search and listing "
                + "of a namespace) on two copies of DB: one opened like the seed's basic configuration (plain "
                + "sqlite-jdbc, WAL, synchronous=NORMAL, 2 MB cache, no mmap), one migrated and opened through the "
                + "enhanced driver (profile 96gb, compress=auto). Prints operations per second and their ratio.",
                "DB itself is only read (export, i.e. online backup); the copies live in a temporary directory and are deleted."})
final class BenchCommand implements Callable<Integer> {

    private static final String TABLE = "memory_entries";
    private static final int SAMPLE = 5_000;

    @Parameters(index = "0", paramLabel = "DB", description = "an agent-memory database (with a memory_entries table)")
    Path database;

    @Option(names = "--operations", paramLabel = "N", defaultValue = "2000",
            description = "operations of each kind per configuration (searches and listings: N/10; default ${DEFAULT-VALUE})")
    int operations;

    @Spec
    CommandSpec spec;

    private interface Operation {
        void run(Connection connection, int i) throws SQLException;
    }

    @Override
    public Integer call() throws IOException {
        if (operations < 10) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--operations must be 10 or more");
        }
        DatabaseFile file = DatabaseFile.existing(database);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path directory = Files.createTempDirectory("enhanced-sqlite-bench");
        try {
            Path basic = directory.resolve("basic.db");
            Path enhanced = directory.resolve("enhanced.db");
            // both start from the same plain content, even when DB is already migrated
            run("export", file.path().toString(), basic.toString());
            run("export", file.path().toString(), enhanced.toString());
            String valueColumn;
            List<String[]> keys;
            try (Connection plain = DatabaseFile.open(basic, true)) {
                valueColumn = valueColumn(plain);
                keys = keys(plain, valueColumn);
            } catch (SQLException e) {
                throw DatabaseFile.explain(e, basic);
            }
            run("migrate", enhanced.toString(), "--backup", directory.resolve("enhanced.pre-migration").toString());
            out.println("bench " + file.path() + ": " + keys.size() + " entries, " + operations
                    + " operations of each kind, one connection and one thread per configuration");
            out.println("  basic:    jdbc:sqlite, journal_mode=WAL, synchronous=NORMAL, cache_size=-2000, mmap_size=0");
            out.println("  enhanced: jdbc:enhanced-sqlite, profile 96gb, compress=auto, after migrate");
            out.println(String.format(Locale.ROOT, "%-28s %14s %14s %10s", "operation", "basic ops/s",
                    "enhanced ops/s", "ratio"));
            try (Connection basicConnection = basicConnection(basic);
                 EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + enhanced);
                 Progress progress = new Progress(err, "bench", 2L * (2L * operations + 2L * (operations / 10)), "operations")) {
                dataSource.setProperty("compress", "auto");
                dataSource.setMaximumPoolSize(1);
                try (Connection enhancedConnection = dataSource.getConnection()) {
                    String value = DatabaseFile.quote(valueColumn);
                    compare(out, progress, "get by namespace+key", operations, basicConnection, enhancedConnection,
                            (c, i) -> query(c, "SELECT " + value + " FROM " + TABLE + " WHERE namespace = ? AND key = ?",
                                    Arrays.copyOf(keys.get(i % keys.size()), 2)));
                    compare(out, progress, "update value", operations, basicConnection, enhancedConnection,
                            (c, i) -> update(c, value, keys.get(i % keys.size()), i));
                    compare(out, progress, "LIKE search in namespace", operations / 10, basicConnection,
                            enhancedConnection, (c, i) -> query(c, "SELECT key FROM " + TABLE
                                    + " WHERE namespace = ? AND " + value + " LIKE ?",
                                    new String[] {keys.get(i % keys.size())[0], "%status%"}));
                    compare(out, progress, "list namespace", operations / 10, basicConnection, enhancedConnection,
                            (c, i) -> query(c, "SELECT key, " + value + " FROM " + TABLE + " WHERE namespace = ?",
                                    new String[] {keys.get(i % keys.size())[0]}));
                }
            } catch (SQLException e) {
                throw new ToolException(ExitCodes.FAILED, "bench failed: " + e.getMessage(), e);
            }
            long basicBytes = usedBytes(basic);
            long enhancedBytes = usedBytes(enhanced);
            out.println(String.format(Locale.ROOT, "%-28s %14d %14d %9.2fx", "bytes in use (pages)", basicBytes,
                    enhancedBytes, (double) enhancedBytes / Math.max(1, basicBytes)));
            out.println("ratio = enhanced / basic (above 1: the enhanced driver is faster; for bytes: larger)");
            return ExitCodes.OK;
        } finally {
            deleteTree(directory);
        }
    }

    private static String valueColumn(Connection plain) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement info = plain.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
            info.setString(1, TABLE);
            try (ResultSet rows = info.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!columns.contains("namespace") || !columns.contains("key")
                || !(columns.contains("value") || columns.contains("content"))) {
            throw new ToolException(ExitCodes.REFUSED, "bench runs agent-memory operations and needs a table "
                    + TABLE + " with columns namespace, key and value (or content); this database's " + TABLE
                    + " has " + (columns.isEmpty() ? "no such table" : "columns " + columns));
        }
        return columns.contains("value") ? "value" : "content";
    }

    /** Up to {@value #SAMPLE} entries (namespace, key, value as text) the operations address, in random order. */
    private static List<String[]> keys(Connection plain, String valueColumn) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        try (Statement statement = plain.createStatement();
             ResultSet rows = statement.executeQuery("SELECT namespace, key, CAST(" + DatabaseFile.quote(valueColumn)
                     + " AS TEXT) FROM " + TABLE + " WHERE namespace IS NOT NULL AND key IS NOT NULL ORDER BY rowid"
                     + " LIMIT " + SAMPLE)) {
            while (rows.next()) {
                String value = rows.getString(3);
                keys.add(new String[] {rows.getString(1), rows.getString(2), value == null ? "" : value});
            }
        }
        if (keys.isEmpty()) {
            throw new ToolException(ExitCodes.REFUSED, TABLE + " is empty: there is nothing to measure");
        }
        java.util.Collections.shuffle(keys, new Random(42));
        return keys;
    }

    /** Prepares a copy with another command of this toolkit; its report is shown only if it fails. */
    private static void run(String... command) {
        StringWriter log = new StringWriter();
        int exitCode = Main.run(new PrintWriter(log), new PrintWriter(log), command);
        if (exitCode != ExitCodes.OK) {
            throw new ToolException(exitCode, "preparing the bench copies failed (" + command[0] + "):\n" + log);
        }
    }

    /** Bytes of the pages holding data: what compression saves, before a VACUUM returns free pages to the disk. */
    private static long usedBytes(Path file) {
        try (Connection connection = DatabaseFile.open(file, true)) {
            return (DatabaseFile.number(connection, "PRAGMA page_count")
                    - DatabaseFile.number(connection, "PRAGMA freelist_count"))
                    * DatabaseFile.number(connection, "PRAGMA page_size");
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file);
        }
    }

    private static Connection basicConnection(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setCacheSize(-2000);
        Connection connection = JDBC.createConnection(JDBC.PREFIX + file, config.toProperties());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA mmap_size=0");
        }
        return connection;
    }

    private static void compare(PrintWriter out, Progress progress, String name, int count, Connection basic,
                                Connection enhanced, Operation operation) throws SQLException {
        for (int i = 0; i < Math.max(1, count / 10); i++) { // warm up both: caches, statement compilation, JIT
            operation.run(basic, i);
            operation.run(enhanced, i);
        }
        double basicRate = rate(basic, count, operation, progress);
        double enhancedRate = rate(enhanced, count, operation, progress);
        out.println(String.format(Locale.ROOT, "%-28s %14.0f %14.0f %9.2fx", name, basicRate, enhancedRate,
                enhancedRate / basicRate));
        out.flush();
    }

    private static double rate(Connection connection, int count, Operation operation, Progress progress)
            throws SQLException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            operation.run(connection, i);
            progress.advance(1);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static void query(Connection connection, String sql, String[] parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    rows.getString(1);
                }
            }
        }
    }

    /** Rewrites an entry's value with a slightly different one, as an agent's upsert of a known key does. */
    private static void update(Connection connection, String value, String[] key, int i) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET " + value
                + " = ? WHERE namespace = ? AND key = ?")) {
            String old = key[2];
            update.setString(1, (old.isEmpty() ? "" : old.substring(0, old.length() - 1)) + (i % 10));
            update.setString(2, key[0]);
            update.setString(3, key[1]);
            update.executeUpdate();
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
