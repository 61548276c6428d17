package io.github.enhancedsqlite.bench;

import java.util.List;

/**
 * Issue 14: a hook process per event — a fresh JVM opens the store, upserts one 1 KB JSON value, reads it back and
 * exits. Its wall and CPU time is mostly the JVM and the driver starting, which is what this measures.
 */
final class OneShotProcess implements Scenario {

    static final int SAMPLES = 9;
    private static final Target TARGET = Target.withinPercentOfRaw(10);

    @Override
    public String name() {
        return "one-shot-process";
    }

    @Override
    public String title() {
        return "a fresh JVM: open, upsert one 1 KB JSON value, read it back, exit — per process";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        String rawUrl = Workspace.rawUrl(workspace.newDatabase(name() + "-raw"));
        String enhancedUrl = workspace.enhancedUrl(workspace.newDatabase(name() + "-enhanced"));
        // one warm-up each: creates the table, and brings the JDK and jars into the page cache for both sides
        ChildProcess.run("one-shot", rawUrl);
        ChildProcess.run("one-shot", enhancedUrl);
        double[][] wall = new double[2][SAMPLES];
        double[][] cpu = new double[2][SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            for (int side : i % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) { // alternated, first side rotating
                ChildProcess child = ChildProcess.run("one-shot", side == 0 ? rawUrl : enhancedUrl);
                wall[side][i] = child.wallNanos();
                cpu[side][i] = child.cpuNanos();
            }
        }
        Comparison wallTime = new Comparison(wall[0], wall[1]);
        Comparison cpuTime = new Comparison(cpu[0], cpu[1]);
        return new ScenarioResult(this, List.of(wallTime.toRow("wall time per process"),
                cpuTime.toRow("CPU time per process (user + system)")),
                List.of(TARGET.check(wallTime), TARGET.check(cpuTime)),
                List.of("the ratio is raw/enhanced: 0.91 or more meets the target of at most 1.1x raw's time",
                        "raw = sqlite-jdbc with the profile's pragmas in its URL; both on the bench's class path"));
    }

}
