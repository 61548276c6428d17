package io.github.enhancedsqlite.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Issue target (a): an application that calls {@code DriverManager.getConnection} per request, runs one point
 * select and closes. Raw sqlite-jdbc opens the file, applies the pragmas and tears everything down each time; the
 * enhanced driver should borrow a ready connection from its pool instead.
 */
final class OpenQueryClose implements Scenario {

    private static final Target TARGET = Target.atLeastTimesFaster(50);

    @Override
    public String name() {
        return "open-query-close";
    }

    @Override
    public String title() {
        return "(a) DriverManager.getConnection, prepared point select, close — per operation";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        String rawUrl = Workspace.rawUrl(workspace.freshCopy(name() + "-raw"));
        String enhancedUrl = workspace.enhancedUrl(workspace.freshCopy(name() + "-enhanced"));
        Workspace.requireSameAnswers(rawUrl, enhancedUrl);

        Comparison comparison = PairedRounds.measure(plan, perOperation(rawUrl), perOperation(enhancedUrl));
        return new ScenarioResult(this, List.of(comparison.toRow("open + select + close")),
                List.of(TARGET.check(comparison)), List.of());
    }

    private static Trial perOperation(String url) {
        MemoryEntries.KeySequence keys = MemoryEntries.lookups();
        return ops -> {
            for (int i = 0; i < ops; i++) {
                try (Connection connection = DriverManager.getConnection(url);
                        PreparedStatement select = connection.prepareStatement(MemoryEntries.POINT_SELECT)) {
                    keys.bindNext(select);
                    Sink.consume(MemoryEntries.readValue(select));
                }
            }
        };
    }
}
