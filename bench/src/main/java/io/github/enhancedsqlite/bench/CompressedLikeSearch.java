package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 4 point 7, search: {@code value LIKE '%needle%'} over the whole generated agent-memory table, which
 * compress=auto must answer by decompressing every stored value in SQL ({@code esq_decompress}). Target (issue 13):
 * at most 2x compress=off's time. Every side must find the same rows.
 */
final class CompressedLikeSearch implements Scenario {

    static final double TARGET_RATIO = 2.0;
    static final String SEARCH = "SELECT count(*) FROM memory_entries WHERE value LIKE ?";

    @Override
    public String name() {
        return "compression-like";
    }

    @Override
    public String title() {
        return "LIKE '%…%' search over every value of the generated agent-memory table";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<AgentMemory.Entry> entries = AgentMemory.distinctEntries(WorkloadSizes.ROWS, WorkloadSizes.SEED);
        long expected = entries.stream().filter(entry -> entry.value().contains(AgentMemory.NEEDLE)).count();
        String pattern = "%" + AgentMemory.NEEDLE + "%";
        double[][] samples;
        Path autoFile;
        try (CompressionSides sides = CompressionSides.open(workspace, name(), connection -> {
            AgentMemory.create(connection);
            AgentMemory.write(connection, entries);
        })) {
            autoFile = sides.get(CompressionSides.AUTO).database();
            List<PreparedStatement> searches = new ArrayList<>();
            try {
                List<Trial> trials = new ArrayList<>();
                for (int side = 0; side < CompressionSides.LABELS.size(); side++) {
                    PreparedStatement search = sides.get(side).connection().prepareStatement(SEARCH);
                    search.setString(1, pattern);
                    searches.add(search);
                    long found = count(search);
                    if (found != expected) {
                        throw new IllegalStateException(CompressionSides.LABELS.get(side) + " found " + found
                                + " rows with " + AgentMemory.NEEDLE + ", expected " + expected);
                    }
                    trials.add(ops -> {
                        for (int i = 0; i < ops; i++) {
                            Sink.consume(Long.toString(count(search)));
                        }
                    });
                }
                samples = PairedRounds.measureAll(plan, trials);
            } finally {
                for (PreparedStatement search : searches) {
                    search.close();
                }
            }
        }
        List<String> notes = List.of(WorkloadSizes.ROWS + " rows (" + WorkloadSizes.describe(entries)
                + "), " + expected + " of them match on every side; " + plan.warmupRounds() + " warm-up + "
                + plan.measuredRounds() + " measured rounds of ~" + plan.roundMillis() + " ms per side",
                CompressionReport.storedOnAuto(autoFile));
        return new ScenarioResult(this, CompressionReport.TIME_HEADINGS,
                List.of(CompressionReport.timeRow("value LIKE '%" + AgentMemory.NEEDLE + "%'", samples)),
                List.of(CompressionReport.timeAtMost("LIKE search", TARGET_RATIO, samples)),
                notes);
    }

    private static long count(PreparedStatement search) throws SQLException {
        try (ResultSet rs = search.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
