package io.github.enhancedsqlite.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Issue target (b): one connection held open, one prepared point select re-executed. Nothing here needs the
 * pool, so this is the pure per-call cost of the enhanced driver's wrappers, which should be close to zero.
 */
final class PreparedPointSelect implements Scenario {

    private static final Target TARGET = Target.withinPercentOfRaw(5);

    @Override
    public String name() {
        return "prepared-select";
    }

    @Override
    public String title() {
        return "(b) prepared point select by key + namespace, reused on one connection";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        String rawUrl = Workspace.rawUrl(workspace.freshCopy(name() + "-raw"));
        String enhancedUrl = workspace.enhancedUrl(workspace.freshCopy(name() + "-enhanced"));
        Workspace.requireSameAnswers(rawUrl, enhancedUrl);

        try (Connection raw = DriverManager.getConnection(rawUrl);
                Connection enhanced = DriverManager.getConnection(enhancedUrl);
                PreparedStatement rawSelect = raw.prepareStatement(MemoryEntries.POINT_SELECT);
                PreparedStatement enhancedSelect = enhanced.prepareStatement(MemoryEntries.POINT_SELECT)) {
            Comparison comparison = PairedRounds.measure(plan, reusing(rawSelect), reusing(enhancedSelect));
            return new ScenarioResult(this, List.of(comparison.toRow("bind + execute + read")),
                    List.of(TARGET.check(comparison)), List.of());
        }
    }

    private static Trial reusing(PreparedStatement select) {
        MemoryEntries.KeySequence keys = MemoryEntries.lookups();
        return ops -> {
            for (int i = 0; i < ops; i++) {
                keys.bindNext(select);
                Sink.consume(MemoryEntries.readValue(select));
            }
        };
    }
}
