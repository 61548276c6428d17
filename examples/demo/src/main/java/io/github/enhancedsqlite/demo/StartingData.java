package io.github.enhancedsqlite.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The database both sides start from: a real agent-memory file when the project's corpus is at hand, generated
 * look-alike data otherwise, so the demo also runs from a bare clone.
 *
 * @param file        the prepared seed database (rollback-journal mode, as a new sqlite-jdbc database has)
 * @param description where the data came from, for the report
 * @param rows        rows in {@code memory_entries}
 * @param bytes       size of the seed file
 * @param keys        existing small entries, which the workload reads and overwrites
 * @param namespaces  namespaces present, which the workload lists
 */
record StartingData(Path file, String description, long rows, long bytes, List<MemoryKey> keys,
                    List<String> namespaces) {

    static final String CORPUS_FILE = "Coldaine__PersonalParakeet.db";
    static final String SNAPSHOT_NAMESPACE = "session-states";

    record MemoryKey(String key, String namespace) {
    }

    static StartingData prepare(DemoOptions options, Path dir) throws IOException, SQLException {
        Path seed = dir.resolve("seed.db");
        Path corpus = options.generateData() ? null
                : options.corpusFile() != null ? options.corpusFile() : findProjectCorpus();
        String description;
        if (corpus != null) {
            if (!Files.isRegularFile(corpus)) {
                throw new IOException("--corpus " + corpus + " is not a file");
            }
            copyFresh(corpus, seed);
            Path wal = Path.of(corpus + "-wal");
            if (Files.isRegularFile(wal) && Files.size(wal) > 0) {
                // Committed data can still sit in the WAL; without it the copy would be older than the original.
                copyFresh(wal, Path.of(seed + "-wal"));
            }
            description = corpus.getFileName() + " (copied; journal reset to SQLite's default, delete)";
            normalize(seed, corpus);
        } else {
            generate(seed, options.seed());
            description = "generated look-alike of the agent-memory corpus (corpus not found)";
        }
        return describe(seed, description);
    }

    /**
     * Copy through streams, not {@code Files.copy(Path, Path)}: the latter keeps the source's mode, and the
     * corpus files are read-only, so a non-root user could then not write to the copy.
     */
    static void copyFresh(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from)) {
            Files.copy(in, to);
        }
    }

    /**
     * Looks upward from the working directory and from this jar for {@code shared/corpus}: that finds it from
     * the repository root, from a module directory (as Maven runs tests) and in CI, where shared/ sits beside
     * the clone.
     */
    static Path findProjectCorpus() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(StartingData.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // No usable code source (unusual class loader): the working directory alone is searched.
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve("shared").resolve("corpus").resolve(CORPUS_FILE);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * The corpus files were written by a tool that switched them to WAL. The demo's baseline is what a Java app
     * gets from sqlite-jdbc today, so the copy goes back to SQLite's default rollback journal; the enhanced
     * side then shows what its profile changes.
     */
    private static void normalize(Path seed, Path origin) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + seed);
             Statement s = c.createStatement()) {
            Set<String> columns = new HashSet<>();
            try (ResultSet rs = s.executeQuery("PRAGMA table_info(memory_entries)")) {
                while (rs.next()) {
                    columns.add(rs.getString("name"));
                }
            }
            if (!columns.containsAll(List.of("key", "namespace", "value", "metadata", "updated_at",
                    "access_count"))) {
                throw new SQLException(origin.getFileName() + " has no memory_entries(key, namespace, value, "
                        + "metadata, updated_at, access_count) table, which the workload needs; found columns "
                        + columns);
            }
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("PRAGMA journal_mode=DELETE");
        }
    }

    private static StartingData describe(Path seed, String description) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + seed);
             Statement s = c.createStatement()) {
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM memory_entries")) {
                rs.next();
                rows = rs.getLong(1);
            }
            List<MemoryKey> keys = new ArrayList<>();
            Set<String> namespaces = new LinkedHashSet<>();
            // Ordered by id so both sides, and every run, see the same list for the same seed.
            try (ResultSet rs = s.executeQuery("SELECT key, namespace FROM memory_entries ORDER BY id")) {
                while (rs.next()) {
                    String namespace = rs.getString(2);
                    namespaces.add(namespace);
                    if (!namespace.equals(SNAPSHOT_NAMESPACE)) {
                        keys.add(new MemoryKey(rs.getString(1), namespace));
                    }
                }
            }
            if (keys.isEmpty()) {
                throw new SQLException("the starting data has no small memory entries to work on");
            }
            return new StartingData(seed, description, rows, Files.size(seed), List.copyOf(keys),
                    List.copyOf(namespaces));
        }
    }

    // --- generated data: shaped like the corpus (13 namespaces, ~220-byte JSON, a few big snapshots) ---

    private static final String[] NAMESPACES = {"hooks:pre-edit", "hooks:post-edit", "hooks:pre-bash",
        "hooks:post-bash", "coordination", "file-history", "command-history", "command-results",
        "performance-metrics", "agent-assignments", "sessions", "session-metrics", SNAPSHOT_NAMESPACE};

    private static void generate(Path seed, long seedValue) throws SQLException {
        SplittableRandom random = new SplittableRandom(seedValue);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + seed)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE memory_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, "
                        + "value TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT 'default', metadata TEXT, "
                        + "created_at INTEGER DEFAULT (strftime('%s','now')), "
                        + "updated_at INTEGER DEFAULT (strftime('%s','now')), "
                        + "accessed_at INTEGER DEFAULT (strftime('%s','now')), access_count INTEGER DEFAULT 0, "
                        + "ttl INTEGER, expires_at INTEGER, UNIQUE(key, namespace))");
                s.execute("CREATE INDEX idx_memory_namespace ON memory_entries(namespace)");
            }
            c.setAutoCommit(false);
            long start = 1_754_000_000L;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO memory_entries(key, namespace, "
                    + "value, metadata, created_at, updated_at, accessed_at) VALUES(?,?,?,?,?,?,?)")) {
                for (int i = 0; i < 860; i++) {
                    String namespace = NAMESPACES[i % NAMESPACES.length];
                    boolean snapshot = namespace.equals(SNAPSHOT_NAMESPACE);
                    long at = start + i * 37L;
                    insert.setString(1, namespace.replace(':', '-') + ":" + Long.toString(at, 36) + "-" + i);
                    insert.setString(2, namespace);
                    insert.setString(3, snapshot ? Payloads.snapshot(random, 40_000 + random.nextInt(60_000))
                            : Payloads.smallValue(random, "seed-" + i, at));
                    insert.setString(4, Payloads.metadata(random, namespace));
                    insert.setLong(5, at);
                    insert.setLong(6, at);
                    insert.setLong(7, at);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }
}
