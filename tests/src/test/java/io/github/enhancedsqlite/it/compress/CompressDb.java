package io.github.enhancedsqlite.it.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Helpers for the compression tests: URLs, the agent-memory schema, a witness connection of plain sqlite-jdbc
 * (which sees the stored bytes, never the driver's view) and result sets turned into comparable text.
 */
final class CompressDb {

    static final String PREFIX = "jdbc:enhanced-sqlite:";
    static final String PLAIN = "jdbc:sqlite:";

    /** The schema of the agent-memory databases in the corpus, with their indexes. */
    static final String[] MEMORY_SCHEMA = {
        "CREATE TABLE memory_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL,"
            + " namespace TEXT NOT NULL DEFAULT 'default', metadata TEXT, created_at INTEGER, updated_at INTEGER,"
            + " accessed_at INTEGER, access_count INTEGER DEFAULT 0, ttl INTEGER, expires_at INTEGER,"
            + " UNIQUE(key, namespace))",
        "CREATE INDEX idx_memory_namespace ON memory_entries(namespace)",
        "CREATE INDEX idx_memory_expires ON memory_entries(expires_at) WHERE expires_at IS NOT NULL",
        "CREATE INDEX idx_memory_accessed ON memory_entries(accessed_at)",
    };

    static final String UPSERT = "INSERT INTO memory_entries (key, value, namespace, metadata, created_at, updated_at,"
            + " accessed_at, ttl, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key, namespace) DO UPDATE"
            + " SET value = excluded.value, metadata = excluded.metadata, updated_at = excluded.updated_at,"
            + " access_count = access_count + 1, ttl = excluded.ttl, expires_at = excluded.expires_at";

    private CompressDb() {
    }

    /** Compression is on by default (compress=auto); a test about plain behaviour names compress=off. */
    static String url(Path file, String query) {
        return PREFIX + file.toAbsolutePath() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    static Connection open(Path file, String query) throws SQLException {
        return DriverManager.getConnection(url(file, query));
    }

    static Connection open(Path file) throws SQLException {
        return open(file, null);
    }

    /** sqlite-jdbc itself: what is really stored, with no decoding and no rewriting. */
    static Connection plain(Path file) throws SQLException {
        return DriverManager.getConnection(PLAIN + file.toAbsolutePath());
    }

    static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    /** Every row of a query as text: each column's getObject with its Java class (which mirrors SQLite's type). */
    static List<String> rows(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                return rows(result);
            }
        }
    }

    static List<String> rows(ResultSet result) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        int columns = meta.getColumnCount();
        List<String> rows = new ArrayList<>();
        while (result.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                row.append(i == 1 ? "" : " | ").append(describe(result.getObject(i)));
            }
            rows.add(row.toString());
        }
        return rows;
    }

    static String describe(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[] bytes) {
            return "blob:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof String text) {
            return "text:" + text;
        }
        return value.getClass().getSimpleName().toLowerCase() + ":" + value;
    }

    static String queryString(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        }
    }

    static long queryLong(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new AssertionError("no row from " + sql);
                }
                return result.getLong(1);
            }
        }
    }

    static Object queryObject(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new AssertionError("no row from " + sql);
                }
                return result.getObject(1);
            }
        }
    }

    /** SQLite's storage class of one stored value, as plain sqlite-jdbc sees it. */
    static String storedType(Path file, String table, String column, String where) throws SQLException {
        try (Connection plain = plain(file)) {
            return queryString(plain, "SELECT typeof(" + column + ") FROM " + table + " WHERE " + where);
        }
    }

    static long storedLength(Path file, String table, String column, String where) throws SQLException {
        try (Connection plain = plain(file)) {
            return queryLong(plain, "SELECT length(" + column + ") FROM " + table + " WHERE " + where);
        }
    }

    /** The columns recorded as compressed, as "table.column", through plain sqlite-jdbc. */
    static List<String> catalog(Path file) throws SQLException {
        try (Connection plain = plain(file)) {
            if (queryLong(plain, "SELECT count(*) FROM sqlite_schema WHERE name = '_enhanced_sqlite_columns'") == 0) {
                return List.of();
            }
            List<String> columns = new ArrayList<>();
            try (Statement statement = plain.createStatement();
                 ResultSet result = statement.executeQuery(
                         "SELECT table_name || '.' || column_name FROM _enhanced_sqlite_columns ORDER BY 1")) {
                while (result.next()) {
                    columns.add(result.getString(1));
                }
            }
            return columns;
        }
    }

    /** A JSON record like the hook records of the corpus, compressible on its own; about 400 bytes. */
    static String hookRecord(int n) {
        return "{\"hookType\":\"pre-bash\",\"command\":\"npm run test -- --filter=module-" + n
                + "\",\"workingDir\":\"/home/agent/projects/enhanced-sqlite/workspace\",\"timestamp\":\"2025-08-05T07:06:"
                + (10 + n % 50) + ".752Z\",\"safety\":\"safe\",\"type\":\"t" + (n % 4) + "\",\"n\":" + n
                + ",\"notes\":\"" + "the agent ran the test suite again and stored the outcome; ".repeat(4) + "\"}";
    }

    /** Copies a corpus database (read-only input) into a directory, -wal/-shm included when present. */
    static Path copy(Path source, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(source.getFileName());
        Files.copy(source, target);
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path sidecar = source.resolveSibling(source.getFileName() + suffix);
            if (Files.exists(sidecar)) {
                Files.copy(sidecar, directory.resolve(sidecar.getFileName()));
            }
        }
        return target;
    }

    /** The corpus directory, or null when it is not present (it is not part of the repository). */
    static Path corpus() {
        String property = System.getProperty("enhancedsqlite.corpus");
        if (property == null) {
            return null;
        }
        Path corpus = Path.of(property);
        return Files.isDirectory(corpus) ? corpus : null;
    }
}
