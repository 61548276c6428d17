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
        return "the first " + OPERATIONS + " open–select–close operations of a fresh JVM, after its very first — per"
                + " operation";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        String rawUrl = Workspace.rawUrl(workspace.freshCopy(name() + "-raw"));
        String enhancedUrl = workspace.enhancedUrl(workspace.freshCopy(name() + "-enhanced"));
        Workspace.requireSameAnswers(rawUrl, enhancedUrl);
        int samples = OneShotProcess.SAMPLES;
        double[][] perOp = new double[2][samples];
        double[][] first = new double[2][samples];
        for (int i = 0; i < samples; i++) {
            for (int side : i % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                ChildProcess child = ChildProcess.run("first-ops", side == 0 ? rawUrl : enhancedUrl,
                        Integer.toString(OPERATIONS));
                perOp[side][i] = child.figure("elapsed-ns") / (double) OPERATIONS;
                first[side][i] = child.figure("first-ns");
            }
        }
        Comparison comparison = new Comparison(perOp[0], perOp[1]);
        Comparison firstOperation = new Comparison(first[0], first[1]);
        return new ScenarioResult(this, List.of(firstOperation.toRow("the very first operation (driver start)"),
                comparison.toRow("open + select + close, the " + OPERATIONS + " after it")),
                List.of(TARGET.check(comparison)),
                List.of("timed inside the child; the first operation of a JVM (loading the driver, sqlite-jdbc's native"
                        + " library, the pool) is shown apart, the target is judged on the operations after it",
                        "a fresh JVM per sample, sides alternated"));
    }
}
