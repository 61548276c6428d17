package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Issue 4 point 7, point reads: {@code SELECT value … WHERE id = ?} of 4 KB JSON values by primary key, one held
 * connection and prepared statement per side, every read timed on its own so the report can give p50 and p99.
 * Sides take turns in rounds of {@value #READS_PER_ROUND} reads (the first side rotating); warm-up rounds are not
 * recorded. Target (issue 13): compress=auto's p50 at most 10 µs above compress=off's.
 */
final class CompressedPointReads implements Scenario {

    static final long TARGET_NANOS = 10_000;
    static final int ROWS = 1_000;
    static final int READS_PER_ROUND = 500;
    /** Lookups cycle through this many pre-drawn ids (a power of two), the same order on every side. */
    private static final int LOOKUPS = 4_096;

    @Override
    public String name() {
        return "compression-point-read";
    }

    @Override
    public String title() {
        return "point read of a 4 KB value by primary key, one connection per side";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<AgentMemory.Entry> entries = AgentMemory.fourKilobyteEntries(ROWS, WorkloadSizes.SEED + 2);
        long[] ids = new long[LOOKUPS];
        SplittableRandom random = new SplittableRandom(11L);
        for (int i = 0; i < LOOKUPS; i++) {
            ids[i] = 1 + random.nextInt(ROWS); // rows were inserted in order into an empty table: ids 1..ROWS
        }
        List<Latencies.Log> logs = new ArrayList<>();
        Path autoFile;
        try (CompressionSides sides = CompressionSides.open(workspace, name(), connection -> {
            AgentMemory.create(connection);
            AgentMemory.write(connection, entries);
        })) {
            autoFile = sides.get(CompressionSides.AUTO).database();
            List<PreparedStatement> selects = new ArrayList<>();
            try {
                for (int side = 0; side < CompressionSides.LABELS.size(); side++) {
                    selects.add(sides.get(side).connection().prepareStatement(AgentMemory.POINT_READ));
                    logs.add(new Latencies.Log());
                }
                requireOriginalValues(selects, entries);
                int[] cursor = new int[selects.size()];
                int rounds = plan.warmupRounds() + plan.measuredRounds();
                for (int round = 0; round < rounds; round++) {
                    boolean measured = round >= plan.warmupRounds();
                    for (int side : PairedRounds.order(round, selects.size())) {
                        cursor[side] = readRound(selects.get(side), ids, cursor[side], measured ? logs.get(side) : null);
                    }
                }
            } finally {
                for (PreparedStatement select : selects) {
                    select.close();
                }
            }
        }
        List<Latencies> latencies = new ArrayList<>();
        for (Latencies.Log log : logs) {
            latencies.add(Latencies.merge(List.of(log), 0));
        }
        List<ScenarioResult.Row> rows = List.of(
                CompressionReport.latencyRow("latency p50", 0.5, latencies),
                CompressionReport.latencyRow("latency p99", 0.99, latencies),
                CompressionReport.latencyRow("latency max", 1.0, latencies));
        List<String> notes = List.of(
                ROWS + " rows of " + describeSizes(entries) + " JSON, written through each side;"
                        + " every read returns the value with getString; " + plan.warmupRounds() + " warm-up + "
                        + plan.measuredRounds() + " measured rounds of " + READS_PER_ROUND + " reads per side,"
                        + " latencies pooled over the measured rounds (nearest rank)",
                CompressionReport.storedOnAuto(autoFile));
        return new ScenarioResult(this, CompressionReport.TIME_HEADINGS, rows,
                List.of(CompressionReport.p50AtMostSlower(TARGET_NANOS, latencies.get(CompressionSides.OFF),
                        latencies.get(CompressionSides.AUTO))), notes);
    }

    /** Reads {@value #READS_PER_ROUND} values from {@code cursor} on; records each read's time when a log is given. */
    private static int readRound(PreparedStatement select, long[] ids, int cursor, Latencies.Log log)
            throws SQLException {
        int next = cursor;
        for (int i = 0; i < READS_PER_ROUND; i++) {
            long start = System.nanoTime();
            select.setLong(1, ids[next]);
            String value = read(select);
            long elapsed = System.nanoTime() - start;
            Sink.consume(value);
            if (log != null) {
                log.record(start, elapsed);
            }
            next = (next + 1) & (ids.length - 1);
        }
        return next;
    }

    private static String read(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("row not found: the benchmark would time the wrong work");
            }
            return rs.getString(1);
        }
    }

    /** Every side must return exactly what was written, or timing it means nothing. */
    private static void requireOriginalValues(List<PreparedStatement> selects, List<AgentMemory.Entry> entries)
            throws SQLException {
        for (int id = 1; id <= entries.size(); id += 97) {
            String expected = entries.get(id - 1).value();
            for (int side = 0; side < selects.size(); side++) {
                selects.get(side).setLong(1, id);
                String actual = read(selects.get(side));
                if (!Objects.equals(expected, actual)) {
                    throw new IllegalStateException(CompressionSides.LABELS.get(side) + " returned a different value"
                            + " for id " + id + " than was written");
                }
            }
        }
    }

    private static String describeSizes(List<AgentMemory.Entry> entries) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (AgentMemory.Entry entry : entries) {
            long bytes = entry.value().length(); // ASCII: characters are bytes
            min = Math.min(min, bytes);
            max = Math.max(max, bytes);
        }
        return Stats.formatBytes(min) + "–" + Stats.formatBytes(max);
    }
}
