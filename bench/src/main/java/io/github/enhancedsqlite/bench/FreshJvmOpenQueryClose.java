package io.github.enhancedsqlite.bench;

import java.util.List;

/**
 * Issue 14: the reads bench's open–query–close, but the first operations of a fresh JVM rather than warm ones —
 * what a short-lived process doing a few hundred lookups gets.
 */
final class FreshJvmOpenQueryClose implements Scenario {

    static final int OPERATIONS = 1_000;
    private static final Target TARGET = Target.atLeastTimesFaster(20);

    @Override
    public String name() {
        return "fresh-open-query-close";
    }

    @Override
    public String title() {
        return "the first " + OPERATIONS + " open–select–close operations of a fresh JVM — per operation";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        String rawUrl = Workspace.rawUrl(workspace.freshCopy(name() + "-raw"));
        String enhancedUrl = workspace.enhancedUrl(workspace.freshCopy(name() + "-enhanced"));
        Workspace.requireSameAnswers(rawUrl, enhancedUrl);
        int samples = OneShotProcess.SAMPLES;
        double[][] perOp = new double[2][samples];
        for (int i = 0; i < samples; i++) {
            for (int side : i % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                ChildProcess child = ChildProcess.run("first-ops", side == 0 ? rawUrl : enhancedUrl,
                        Integer.toString(OPERATIONS));
                perOp[side][i] = child.figure("elapsed-ns") / (double) OPERATIONS;
            }
        }
        Comparison comparison = new Comparison(perOp[0], perOp[1]);
        return new ScenarioResult(this, List.of(comparison.toRow("open + select + close, first " + OPERATIONS)),
                List.of(TARGET.check(comparison)),
                List.of("timed inside the child from its first getConnection; a fresh JVM per sample"));
    }
}
