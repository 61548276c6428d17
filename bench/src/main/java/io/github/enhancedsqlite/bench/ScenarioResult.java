package io.github.enhancedsqlite.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * What one scenario measured: table rows (already formatted, so scenarios with other shapes — latency
 * percentiles, error counts, sizes — fit the same table), target verdicts, and free-form notes.
 */
record ScenarioResult(Scenario scenario, String ratioHeading, List<Row> rows, List<Target.Verdict> verdicts,
                      List<String> notes) {

    /** The heading of timed scenarios, whose ratio column is raw time / enhanced time. */
    static final String RAW_OVER_ENHANCED = "ratio raw/enhanced";

    ScenarioResult {
        rows = List.copyOf(rows);
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
    }

    ScenarioResult(Scenario scenario, List<Row> rows, List<Target.Verdict> verdicts, List<String> notes) {
        this(scenario, RAW_OVER_ENHANCED, rows, verdicts, notes);
    }

    /** One line of the raw-vs-enhanced table; {@code ratio} is what the table's ratio heading says. */
    record Row(String metric, String raw, String enhanced, String ratio) {
    }

    /** Prints as Markdown, so the console output can be pasted into bench/RESULTS.md unchanged. */
    void print(PrintStream out) {
        out.println("### " + scenario.name() + " — " + scenario.title());
        out.println();
        out.println("| metric | raw sqlite-jdbc | enhanced-sqlite | " + ratioHeading + " |");
        out.println("|---|---:|---:|---:|");
        for (Row row : rows) {
            out.println("| " + row.metric() + " | " + row.raw() + " | " + row.enhanced() + " | " + row.ratio() + " |");
        }
        out.println();
        for (Target.Verdict verdict : verdicts) {
            out.println("- " + verdict);
        }
        for (String note : notes) {
            out.println("- note: " + note);
        }
        out.println();
    }
}
