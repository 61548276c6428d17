package io.github.enhancedsqlite.bench;

import io.github.enhancedsqlite.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 13 point 4: each corpus file before and after the toolkit's {@code migrate} (database plus -wal on disk), which
 * compresses the values and then VACUUMs the file into auto_vacuum=INCREMENTAL. Target: the files whose values are
 * mostly large (Coldaine, saverly) at most half their size before.
 */
final class MigrateSizes implements Scenario {

    private static final List<String> MOSTLY_LARGE = List.of("Coldaine", "7ravis8ailey");

    @Override
    public String name() {
        return "migrate-size";
    }

    @Override
    public String title() {
        return "file size before and after `migrate`, corpus";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<ScenarioResult.Row> rows = new ArrayList<>();
        List<Target.Verdict> verdicts = new ArrayList<>();
        long totalBefore = 0;
        long totalAfter = 0;
        for (Path database : workspace.corpus().databases()) {
            String name = database.getFileName().toString().replaceFirst("\\.db$", "");
            Path copy = workspace.directory().resolve(name + "-migrated.db");
            Files.copy(database, copy); // the corpus is read-only input
            copy.toFile().setWritable(true);
            long before = footprint(copy);
            StringWriter output = new StringWriter();
            int exit = Main.run(new PrintWriter(output), new PrintWriter(output), "migrate", copy.toString());
            if (exit != 0) {
                throw new IllegalStateException("migrate " + name + " exited " + exit + ": " + output);
            }
            long after = footprint(copy);
            totalBefore += before;
            totalAfter += after;
            rows.add(new ScenarioResult.Row("`" + name + "`", List.of(Stats.formatBytes(before),
                    Stats.formatBytes(after), Stats.formatRatio(before / (double) after))));
            if (MOSTLY_LARGE.stream().anyMatch(name::startsWith)) {
                verdicts.add(new Target.Verdict("target " + name + " at most half its size after migrate",
                        after * 2 <= before, Stats.formatBytes(before) + " -> " + Stats.formatBytes(after)));
            }
        }
        rows.add(new ScenarioResult.Row("**total**", List.of(Stats.formatBytes(totalBefore),
                Stats.formatBytes(totalAfter), "**" + Stats.formatRatio(totalBefore / (double) totalAfter) + "**")));
        List<String> notes = List.of("migrate with its defaults (every compressible column with values of 256 bytes"
                + " or more, chunks of 200 rows), as a user runs it; sizes are the database file plus its -wal, the"
                + " backup (DB.pre-migration) not counted");
        return new ScenarioResult(this, List.of("before", "after migrate", "before/after"), rows, verdicts, notes);
    }

    private static long footprint(Path database) throws Exception {
        Path wal = database.resolveSibling(database.getFileName() + "-wal");
        return Files.size(database) + (Files.exists(wal) ? Files.size(wal) : 0);
    }
}
