package io.github.enhancedsqlite.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A temporary directory with one seeded database file, copied afresh for each side of each scenario so the two
 * sides never share a file (no lock, WAL or page-cache state passes between them) yet hold identical bytes.
 */
final class Workspace implements AutoCloseable {

    static final String RAW_PREFIX = "jdbc:sqlite:";
    static final String ENHANCED_PREFIX = "jdbc:enhanced-sqlite:";

    /**
     * The enhanced driver's default profile spelled as sqlite-jdbc URL pragmas, which sqlite-jdbc applies when it
     * opens a connection: the fair raw peer is "raw sqlite-jdbc given the same pragmas".
     */
    static final String PROFILE_AS_URL_PRAGMAS = "journal_mode=WAL&synchronous=NORMAL&cache_size=-1048576"
            + "&mmap_size=8589934592&temp_store=MEMORY&wal_autocheckpoint=1000&busy_timeout=5000"
            + "&journal_size_limit=67108864";

    private final Path directory;
    private final Path seed;
    private final boolean selfCheck;
    private final Corpus corpus;

    private Workspace(Path directory, Path seed, boolean selfCheck, Corpus corpus) {
        this.directory = directory;
        this.seed = seed;
        this.selfCheck = selfCheck;
        this.corpus = corpus;
    }

    /**
     * Creates the directory and seeds the template through raw sqlite-jdbc, so the stored values are plain text
     * whatever the enhanced driver would do on insert (compression), and both sides read the same bytes.
     *
     * @param selfCheck when true the "enhanced" side is raw sqlite-jdbc too: an A/A run that shows the noise floor
     * @param corpus the real agent-memory databases the compression scenarios load
     */
    static Workspace create(boolean selfCheck, Corpus corpus) throws IOException, SQLException {
        Path directory = Files.createTempDirectory("enhanced-sqlite-bench-");
        Path seed = directory.resolve("seed.db");
        try (Connection connection = DriverManager.getConnection(RAW_PREFIX + seed + "?" + PROFILE_AS_URL_PRAGMAS)) {
            MemoryEntries.createAndSeed(connection);
            try (Statement statement = connection.createStatement()) {
                // Fold the WAL into the main file so a plain file copy carries every row.
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        return new Workspace(directory, seed, selfCheck, corpus);
    }

    boolean selfCheck() {
        return selfCheck;
    }

    Path directory() {
        return directory;
    }

    Corpus corpus() {
        return corpus;
    }

    /** A new database file with the seeded rows, e.g. {@code freshCopy("open-query-close-raw")}. */
    Path freshCopy(String name) throws IOException {
        Path copy = directory.resolve(name + ".db");
        Files.copy(seed, copy);
        return copy;
    }

    /** Where a scenario creates a database of its own, e.g. {@code newDatabase("autocommit-writers-raw")}. */
    Path newDatabase(String name) throws IOException {
        Path path = directory.resolve(name + ".db");
        if (Files.exists(path)) {
            throw new IOException(path + " already exists: two sides would share a file");
        }
        return path;
    }

    static String rawUrl(Path database) {
        return RAW_PREFIX + database + "?" + PROFILE_AS_URL_PRAGMAS;
    }

    /**
     * The enhanced driver's URL with its default profile, or the raw URL in a self-check run. The system property
     * {@code enhancedsqlite.bench.settings} (e.g. {@code transaction_mode=IMMEDIATE}) adds settings, to compare a
     * setting's effect in one run of the same code.
     */
    String enhancedUrl(Path database) {
        String settings = settings();
        return selfCheck ? rawUrl(database) : ENHANCED_PREFIX + database + (settings.isEmpty() ? "" : "?" + settings);
    }

    /**
     * The enhanced driver's URL with its default profile and compression named explicitly ({@code off} or
     * {@code auto}: the default may change, a benchmark must not), or the raw URL in a self-check run; the
     * settings of {@code enhancedsqlite.bench.settings} follow (a compressLevel, say, compared in one run).
     */
    String enhancedUrl(Path database, String compress) {
        String settings = settings();
        return selfCheck ? rawUrl(database)
                : ENHANCED_PREFIX + database + "?compress=" + compress + (settings.isEmpty() ? "" : "&" + settings);
    }

    private static String settings() {
        return System.getProperty("enhancedsqlite.bench.settings", "");
    }

    /**
     * Fails unless both URLs return the same value for the first lookups: timing a driver that answers wrongly
     * (a missing row, a still-compressed value) would be meaningless.
     */
    static void requireSameAnswers(String rawUrl, String enhancedUrl) throws SQLException {
        try (Connection raw = DriverManager.getConnection(rawUrl);
                Connection enhanced = DriverManager.getConnection(enhancedUrl);
                PreparedStatement rawSelect = raw.prepareStatement(MemoryEntries.POINT_SELECT);
                PreparedStatement enhancedSelect = enhanced.prepareStatement(MemoryEntries.POINT_SELECT)) {
            MemoryEntries.KeySequence rawKeys = MemoryEntries.lookups();
            MemoryEntries.KeySequence enhancedKeys = MemoryEntries.lookups();
            for (int i = 0; i < 64; i++) {
                rawKeys.bindNext(rawSelect);
                enhancedKeys.bindNext(enhancedSelect);
                String expected = MemoryEntries.readValue(rawSelect);
                String actual = MemoryEntries.readValue(enhancedSelect);
                if (!Objects.equals(expected, actual)) {
                    throw new IllegalStateException("enhanced driver returned a different value for lookup " + i
                            + ": expected " + expected + " but got " + actual);
                }
            }
        }
    }

    /**
     * Closes the enhanced driver's pools (they would otherwise hold the files open until JVM exit) and reports what
     * looks wrong afterwards: the design promises no -wal/-shm file left behind once pools are shut down.
     */
    List<String> shutDownEnhancedPools() {
        List<String> notes = new ArrayList<>();
        if (!selfCheck) {
            try {
                Class.forName("io.github.enhancedsqlite.EnhancedSqlite").getMethod("shutdown").invoke(null);
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                notes.add("io.github.enhancedsqlite.EnhancedSqlite.shutdown() not found; pools left to JVM exit");
            } catch (InvocationTargetException e) {
                notes.add("EnhancedSqlite.shutdown() threw " + e.getCause());
            } catch (ReflectiveOperationException e) {
                notes.add("EnhancedSqlite.shutdown() could not be called: " + e);
            }
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith("-wal") || name.endsWith("-shm"))
                    .sorted()
                    .forEach(name -> notes.add("left behind after shutdown: " + name));
        } catch (IOException e) {
            notes.add("could not list " + directory + ": " + e);
        }
        return notes;
    }

    /** Deletes the directory and every database in it. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }
}
