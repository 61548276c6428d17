package io.github.enhancedsqlite.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/** Small helpers shared by the integration tests: URLs, pragma reads and a look at the files on disk. */
final class Db {

    static final String PREFIX = "jdbc:enhanced-sqlite:";
    static final String PLAIN = "jdbc:sqlite:";

    private Db() {
    }

    static String url(Path file) {
        return PREFIX + file.toAbsolutePath();
    }

    static String url(Path file, String query) {
        return PREFIX + file.toAbsolutePath() + "?" + query;
    }

    static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection(url(file));
    }

    static Connection open(Path file, String query) throws SQLException {
        return DriverManager.getConnection(url(file, query));
    }

    /** A connection of sqlite-jdbc itself, bypassing our driver: the reference and the independent witness. */
    static Connection plain(Path file) throws SQLException {
        return DriverManager.getConnection(PLAIN + file.toAbsolutePath());
    }

    /**
     * On a thread of its own, which holds none of the pool's connections, while all {@code maximumPoolSize} are lent:
     * borrows the {@code maximumPoolSize} the pool opens beyond its size (a borrower that waits in vain gets one, see
     * DESIGN.md, Pool), and then one more, which is returned, or what it threw is thrown here. Those beyond the size
     * are given back before this returns.
     */
    static Connection borrowPastTheLimit(int maximumPoolSize, Callable<Connection> borrow) throws Exception {
        FutureTask<Connection> task = new FutureTask<>(() -> {
            List<Connection> beyond = new ArrayList<>();
            try {
                for (int i = 0; i < maximumPoolSize; i++) {
                    beyond.add(borrow.call());
                }
                return borrow.call();
            } finally {
                for (Connection connection : beyond) {
                    connection.close();
                }
            }
        });
        Thread borrower = new Thread(task, "another borrower");
        borrower.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    /** The value a pragma reads back as text (journal_mode "wal", synchronous "1", ...). */
    static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return result.getLong(1);
        }
    }

    static List<String> queryStrings(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        }
    }

    static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM " + schema + ".sqlite_master WHERE type = 'table' AND name = ?")) {
            statement.setString(1, table);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getInt(1) > 0;
            }
        }
    }

    /** Names of the files in a directory, sorted. */
    static List<String> files(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** The -wal, -shm and -journal files next to a database that exist right now. */
    static List<String> sidecars(Path database) {
        List<String> present = new ArrayList<>();
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Path sidecar = database.resolveSibling(database.getFileName() + suffix);
            if (Files.exists(sidecar)) {
                present.add(sidecar.getFileName().toString());
            }
        }
        return present;
    }
}
