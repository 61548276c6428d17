package io.github.enhancedsqlite.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 4 point 7, storage on a generated agent-memory workload ({@link AgentMemory}): the same rows upserted
 * through {@code compress=off} and {@code compress=auto}, compared as {@link CorpusSizes} compares the corpus.
 */
final class WorkloadSizes implements Scenario {

    static final int ROWS = 3_000;
    static final long SEED = 20_261_125L;

    @Override
    public String name() {
        return "compression-workload";
    }

    @Override
    public String title() {
        return "database size, generated agent-memory rows through compress=off vs compress=auto";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<AgentMemory.Entry> entries = AgentMemory.distinctEntries(ROWS, SEED);
        ValueStorage off = load(workspace, entries, "off");
        ValueStorage auto = load(workspace, entries, "auto");
        SizeComparison sizes = new SizeComparison();
        sizes.add(new SizeComparison.Entry("generated, " + ROWS + " rows", AgentMemory.valueBytes(entries), off, auto));
        List<String> notes = new ArrayList<>();
        sizes.offSideMismatches().forEach(mismatch -> notes.add("**" + mismatch + "**"));
        notes.add("rows: " + describe(entries) + "; every row an auto-commit upsert with its values bound");
        return new ScenarioResult(this, SizeComparison.HEADINGS, sizes.rows(), List.of(), notes);
    }

    private static ValueStorage load(Workspace workspace, List<AgentMemory.Entry> entries, String compress)
            throws Exception {
        Path target = workspace.newDatabase("workload-compress-" + compress);
        try (PooledDatabase pool = PooledDatabase.open(workspace.enhancedUrl(target, compress));
                Connection connection = pool.dataSource().getConnection()) {
            AgentMemory.create(connection);
            AgentMemory.write(connection, entries);
        }
        return ValueStorage.measure(target, AgentMemory.TABLE, AgentMemory.VALUE_COLUMN);
    }

    /** "2,880 records of 201–298 B, 120 snapshots of 10.0–39.9 KiB": what the rows really were. */
    static String describe(List<AgentMemory.Entry> entries) {
        long[] small = {0, Long.MAX_VALUE, 0};
        long[] large = {0, Long.MAX_VALUE, 0};
        for (AgentMemory.Entry entry : entries) {
            long bytes = entry.value().getBytes(StandardCharsets.UTF_8).length;
            long[] kind = entry.namespace().equals("session-states") ? large : small;
            kind[0]++;
            kind[1] = Math.min(kind[1], bytes);
            kind[2] = Math.max(kind[2], bytes);
        }
        return String.format(Locale.ROOT, "%,d records of %s–%s, %,d session snapshots of %s–%s",
                small[0], Stats.formatBytes(small[1]), Stats.formatBytes(small[2]), large[0],
                Stats.formatBytes(large[1]), Stats.formatBytes(large[2]));
    }
}
