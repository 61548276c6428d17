package io.github.enhancedsqlite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 14: a test suite's pattern in one JVM — a new database file per test, created, written and read once, its
 * connection closed but nothing shut down — timed from the first open to the last close, with the file descriptors
 * the process still holds at the end.
 */
final class ManyShortLivedFiles implements Scenario {

    static final int FILES = 300;
    private static final Target TIME_TARGET = Target.withinPercentOfRaw(30);
    private static final int MAX_DESCRIPTORS = 50;

    @Override
    public String name() {
        return "many-files";
    }

    @Override
    public String title() {
        return FILES + " short-lived database files in one JVM — time for all, descriptors open at the end";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        int samples = OneShotProcess.SAMPLES;
        double[][] time = new double[2][samples];
        long[][] descriptors = new long[2][samples];
        for (int i = 0; i < samples; i++) {
            for (int side : i % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                Path dir = Files.createDirectory(workspace.directory().resolve(name() + "-" + side + "-" + i));
                ChildProcess child = side == 0
                        ? ChildProcess.run("many-files", "jdbc:sqlite:", dir.toString(), Integer.toString(FILES),
                                "?" + Workspace.PROFILE_AS_URL_PRAGMAS)
                        : ChildProcess.run("many-files", "jdbc:enhanced-sqlite:", dir.toString(),
                                Integer.toString(FILES), "");
                time[side][i] = child.figure("elapsed-ns");
                descriptors[side][i] = child.figure("fds");
            }
        }
        Comparison elapsed = new Comparison(time[0], time[1]);
        long rawFds = median(descriptors[0]);
        long enhancedFds = median(descriptors[1]);
        return new ScenarioResult(this, List.of(elapsed.toRow(FILES + " files, open to last close"),
                new ScenarioResult.Row("descriptors open at the end (median of " + samples + ")",
                        Long.toString(rawFds), Long.toString(enhancedFds), "")),
                List.of(TIME_TARGET.check(elapsed), new Target.Verdict("target ≤" + MAX_DESCRIPTORS + " descriptors",
                        enhancedFds <= MAX_DESCRIPTORS, "enhanced holds " + enhancedFds + ", raw " + rawFds)),
                List.of("the ratio is raw/enhanced: 0.77 or more meets the target of at most 1.3x raw's time",
                        "a fresh JVM per sample, sides alternated; raw = sqlite-jdbc with the profile's pragmas"));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
