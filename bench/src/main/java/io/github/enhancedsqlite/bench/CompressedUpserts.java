package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 4 point 7, insert throughput: agent-memory upserts ({@link AgentMemory#UPSERT}, auto-commit, one held
 * connection and prepared statement per side) of the generated mix of small records and session snapshots, over a
 * key space small enough that most of them update a row. Target (issue 13): compress=auto at least 0.9x compress=off.
 */
final class CompressedUpserts implements Scenario {

    static final double TARGET = 0.9;
    static final int KEYS = 2_000;
    /** Pre-drawn writes each side cycles through (a power of two); generated once, shared by all sides. */
    static final int WRITES = 4_096;

    @Override
    public String name() {
        return "compression-upsert";
    }

    @Override
    public String title() {
        return "upserts of agent-memory rows, auto-commit, one connection per side";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<AgentMemory.Entry> writes = AgentMemory.upserts(WRITES, KEYS, WorkloadSizes.SEED + 1);
        double[][] samples;
        Path autoFile;
        try (CompressionSides sides = CompressionSides.open(workspace, name(), AgentMemory::create)) {
            autoFile = sides.get(CompressionSides.AUTO).database();
            List<Trial> trials = new ArrayList<>();
            List<PreparedStatement> statements = new ArrayList<>();
            try {
                for (int side = 0; side < CompressionSides.LABELS.size(); side++) {
                    Connection connection = sides.get(side).connection();
                    PreparedStatement upsert = connection.prepareStatement(AgentMemory.UPSERT);
                    statements.add(upsert);
                    trials.add(upserting(upsert, writes));
                }
                samples = PairedRounds.measureAll(plan, trials);
            } finally {
                for (PreparedStatement statement : statements) {
                    statement.close();
                }
            }
        }
        List<ScenarioResult.Row> rows = List.of(
                CompressionReport.rateRow("upserts/s", samples),
                CompressionReport.timeRow("time per upsert", samples));
        List<String> notes = List.of(
                "writes: " + WorkloadSizes.describe(writes) + ", over " + KEYS + " keys (mostly updates),"
                        + " " + WRITES + " pre-drawn writes cycled by every side; each round's ops are timed"
                        + " together, rounds rotate which side runs first",
                CompressionReport.storedOnAuto(autoFile));
        return new ScenarioResult(this, CompressionReport.TIME_HEADINGS, rows,
                List.of(CompressionReport.rateAtLeast("upserts/s", TARGET, samples)), notes);
    }

    private static Trial upserting(PreparedStatement upsert, List<AgentMemory.Entry> writes) {
        int[] next = {0};
        long[] clock = {1_732_500_000_000L};
        return ops -> {
            for (int i = 0; i < ops; i++) {
                AgentMemory.bind(upsert, writes.get(next[0]), clock[0]++);
                next[0] = (next[0] + 1) & (WRITES - 1);
                upsert.executeUpdate();
            }
        };
    }
}
