package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The invariant of compression, tested the way it is stated: a seeded random workload of agent-memory operations
 * and general SQL runs against a {@code compress=off} database and a {@code compress=auto} database (low
 * threshold, small dictionary sample count, so most values are compressed and dictionaries are trained), and every
 * result must be identical, step by step. A mismatch names the seed, the step and the operation; a run is
 * reproduced by running its seed again.
 */
class DifferentialWorkloadTest {

    /** Low threshold and sample count: nearly every value compressed, dictionaries trained early. */
    static final String AUTO = "compress=auto&compressThreshold=32&compressDictionarySamples=50";
    static final String OFF = "compress=off";
    private static final int STEPS = 1200;
    private static final int DUMP_EVERY = 250;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 20_250_805L})
    void compressedAndPlainDatabasesAnswerIdentically(long seed) throws Exception {
        Path off = dir.resolve("off.db");
        Path auto = dir.resolve("auto.db");
        createSchema(off, OFF);
        createSchema(auto, AUTO);
        run(seed, STEPS, false, off, auto, List.of());
        try (Connection plain = CompressDb.plain(auto)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM memory_entries WHERE typeof(value) = 'blob'"))
                    .as("the auto side really stores compressed values").isGreaterThan(50);
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM _enhanced_sqlite_dictionaries"))
                    .as("dictionaries were trained on the auto side").isPositive();
        }
    }

    /** Some BLOB values begin with the envelope's magic bytes: they must come back exactly as written, too. */
    @Test
    void envelopeLikeBlobsInTheWorkloadStayIdentical() throws Exception {
        Path off = dir.resolve("off.db");
        Path auto = dir.resolve("auto.db");
        createSchema(off, OFF);
        createSchema(auto, AUTO);
        run(7L, STEPS, true, off, auto, List.of());
    }

    /** Both sides start from the same copy of a real agent-memory database, then the workload runs on top. */
    @Test
    void workloadOnTopOfARealAgentMemoryDatabase() throws Exception {
        Path corpus = CompressDb.corpus();
        Assumptions.assumeTrue(corpus != null, "the agent-memory corpus is not present");
        Path source = corpus.resolve("Coldaine__PersonalParakeet.db");
        Assumptions.assumeTrue(Files.exists(source), source + " is not present");
        Path off = CompressDb.copy(source, dir.resolve("off"));
        Path auto = CompressDb.copy(source, dir.resolve("auto"));
        List<String[]> existing = new ArrayList<>();
        try (Connection connection = CompressDb.open(off, OFF)) {
            CompressDb.execute(connection, Workload.EXTRA_SCHEMA);
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT key, namespace FROM memory_entries ORDER BY id")) {
                while (rows.next()) {
                    existing.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        try (Connection connection = CompressDb.open(auto, AUTO)) {
            CompressDb.execute(connection, Workload.EXTRA_SCHEMA);
        }
        assertThat(existing).hasSizeGreaterThan(100);
        run(11L, 800, false, off, auto, existing);
        try (Connection plain = CompressDb.plain(auto)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM memory_entries WHERE typeof(value) = 'blob'"))
                    .as("the auto side really stores compressed values").isGreaterThan(50);
            assertThat(CompressDb.queryString(plain, "PRAGMA integrity_check")).isEqualTo("ok");
        }
    }

    private static void createSchema(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            CompressDb.execute(connection, Workload.EXTRA_SCHEMA);
        }
    }

    private static void run(long seed, int steps, boolean envelopeLikeBlobs, Path offFile, Path autoFile,
                            List<String[]> existing) throws SQLException {
        System.out.println("differential workload: seed " + seed + ", " + steps + " steps, envelope-like blobs "
                + envelopeLikeBlobs + ", " + offFile.getFileName());
        Workload workload = new Workload(seed, envelopeLikeBlobs, existing);
        try (Connection off = CompressDb.open(offFile, OFF); Connection auto = CompressDb.open(autoFile, AUTO)) {
            compare(seed, 0, Workload.dump(), off, auto);
            for (int step = 1; step <= steps; step++) {
                compare(seed, step, workload.next(), off, auto);
                if (step % DUMP_EVERY == 0) {
                    compare(seed, step, Workload.dump(), off, auto);
                }
            }
            compare(seed, steps, Workload.dump(), off, auto);
        }
        // a new pool on each side: dictionaries and the record of compressed columns come from the files alone
        EnhancedSqlite.shutdown();
        try (Connection off = CompressDb.open(offFile, OFF); Connection auto = CompressDb.open(autoFile, AUTO)) {
            compare(seed, steps + 1, Workload.dump(), off, auto);
        }
        EnhancedSqlite.shutdown();
        // and a compress=off pool on the compressed file still reads every value as written
        try (Connection off = CompressDb.open(offFile, OFF); Connection autoReadOff = CompressDb.open(autoFile, OFF)) {
            compare(seed, steps + 2, Workload.dump(), off, autoReadOff);
        }
    }

    private static void compare(long seed, int step, Workload.Op op, Connection off, Connection auto)
            throws SQLException {
        String expected = op.work().run(off);
        String actual = op.work().run(auto);
        if (expected.equals(actual)) {
            return;
        }
        String[] expectedLines = expected.split("\n", -1);
        String[] actualLines = actual.split("\n", -1);
        int line = 0;
        while (line < expectedLines.length && line < actualLines.length && expectedLines[line].equals(actualLines[line])) {
            line++;
        }
        String description = op.description();
        throw new AssertionError("compress=auto answered differently from compress=off: seed " + seed + ", step "
                + step + ", operation: " + (description.length() > 3000 ? description.substring(0, 3000) + "…" : description)
                + "\n first difference at line " + line + " of the outcome:"
                + "\n  off:  " + shorten(line < expectedLines.length ? expectedLines[line] : "<no line>")
                + "\n  auto: " + shorten(line < actualLines.length ? actualLines[line] : "<no line>")
                + "\n whole outcome (off):\n" + shorten(expected)
                + "\n whole outcome (auto):\n" + shorten(actual));
    }

    private static String shorten(String text) {
        return text.length() > 4000 ? text.substring(0, 4000) + "…(" + text.length() + " chars)" : text;
    }
}
