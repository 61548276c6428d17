package io.github.enhancedsqlite.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * What one scenario measured: a table (rows already formatted, so scenarios with other shapes — latency
 * percentiles, error counts, sizes — fit), target verdicts, and free-form notes. Most tables have the columns raw,
 * enhanced and a ratio; scenarios comparing more than two sides (compression off / on / raw) name their own.
 */
record ScenarioResult(Scenario scenario, List<String> headings, List<Row> rows, List<Target.Verdict> verdicts,
                      List<String> notes) {

    /** The heading of timed scenarios, whose ratio column is raw time / enhanced time. */
    static final String RAW_OVER_ENHANCED = "ratio raw/enhanced";

    ScenarioResult {
        headings = List.copyOf(headings);
        rows = List.copyOf(rows);
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
        for (Row row : rows) {
            if (row.cells().size() != headings.size()) {
                throw new IllegalArgumentException("row '" + row.metric() + "' has " + row.cells().size()
                        + " cells for " + headings.size() + " headings " + headings);
            }
        }
    }

    /** The usual table: raw sqlite-jdbc, enhanced-sqlite and a ratio column headed {@code ratioHeading}. */
    ScenarioResult(Scenario scenario, String ratioHeading, List<Row> rows, List<Target.Verdict> verdicts,
                   List<String> notes) {
        this(scenario, List.of("raw sqlite-jdbc", "enhanced-sqlite", ratioHeading), rows, verdicts, notes);
    }

    ScenarioResult(Scenario scenario, List<Row> rows, List<Target.Verdict> verdicts, List<String> notes) {
        this(scenario, RAW_OVER_ENHANCED, rows, verdicts, notes);
    }

    /** One line of the table: what was measured, then one formatted cell per heading. */
    record Row(String metric, List<String> cells) {

        Row {
            cells = List.copyOf(cells);
        }

        /** A row of the usual raw / enhanced / ratio table. */
        Row(String metric, String raw, String enhanced, String ratio) {
            this(metric, List.of(raw, enhanced, ratio));
        }
    }

    /** Prints as Markdown, so the console output can be pasted into bench/RESULTS.md unchanged. */
    void print(PrintStream out) {
        out.println("### " + scenario.name() + " — " + scenario.title());
        out.println();
        printTable(out, "metric", headings, rows);
        out.println();
        for (Target.Verdict verdict : verdicts) {
            out.println("- " + verdict);
        }
        for (String note : notes) {
            out.println("- note: " + note);
        }
        out.println();
    }

    /** A Markdown table whose first column is left-aligned text and the others right-aligned figures. */
    static void printTable(PrintStream out, String firstHeading, List<String> headings, List<Row> rows) {
        out.println("| " + firstHeading + " | " + String.join(" | ", headings) + " |");
        out.println("|---|" + "---:|".repeat(headings.size()));
        for (Row row : rows) {
            out.println("| " + row.metric() + " | " + String.join(" | ", row.cells()) + " |");
        }
    }
}
