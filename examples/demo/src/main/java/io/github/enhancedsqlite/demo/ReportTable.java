package io.github.enhancedsqlite.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the comparison as one compact side-by-side table, readable in twenty seconds. Plain ASCII only. */
final class ReportTable {

    private static final String ROW = "  %-26s %-27s %-27s %s%n";
    private static final String NL = System.lineSeparator();

    private final DemoOptions options;
    private final StartingData data;
    private final SideReport plain;
    private final SideReport enhanced;
    private final List<String> failedChecks;
    private final StringBuilder out = new StringBuilder(4096);

    ReportTable(DemoOptions options, StartingData data, SideReport plain, SideReport enhanced,
                List<String> failedChecks) {
        this.options = options;
        this.data = data;
        this.plain = plain;
        this.enhanced = enhanced;
        this.failedChecks = failedChecks;
    }

    String render() {
        line("");
        line("enhanced-sqlite-jdbc demo: one agent-memory workload, plain sqlite-jdbc vs the enhanced driver");
        line(String.format(Locale.ROOT, "  data      %s: %,d rows, %s", data.description(), data.rows(),
                Sizes.bytes(data.bytes())));
        line(String.format(Locale.ROOT, "  workload  %d threads x %s per side (+%s warm-up), seed %d, "
                        + "a new DriverManager connection per operation", options.threads(),
                seconds(options.durationPerSide()), seconds(options.warmUp()), options.seed()));
        line("            mix: " + AgentMemoryWorkload.MIX);
        line(String.format(Locale.ROOT, "  machine   %d CPUs, Java %s, SQLite %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                plain.pragmas().getOrDefault("sqlite_version", "?")));
        line("");
        row("", plain.title(), enhanced.title(), "");
        line("  effective pragmas (read back with PRAGMA on a connection from each URL)");
        for (String name : EffectivePragmas.NAMES) {
            String a = plain.pragmas().get(name);
            String b = enhanced.pragmas().get(name);
            row("  " + name, EffectivePragmas.explain(name, a), EffectivePragmas.explain(name, b),
                    a != null && a.equals(b) ? "" : "*");
        }

        line("  workload (measured part)");
        double ratio = enhanced.workload().opsPerSecond() / Math.max(plain.workload().opsPerSecond(), 1e-9);
        row("  throughput", opsPerSecond(plain), opsPerSecond(enhanced),
                String.format(Locale.ROOT, "x%.2f", ratio));
        row("  latency p50 / p99 / max", latency(plain), latency(enhanced), "");
        row("  operations ok / failed", okFailed(plain), okFailed(enhanced), "");

        line("  after the run");
        row("  ledger (" + plain.ledger().attempted() + " upserts)", ledger(plain), ledger(enhanced),
                ledgerNote());
        row("  rows (start " + data.rows() + ")", String.format(Locale.ROOT, "%,d", plain.rowsAtEnd()),
                String.format(Locale.ROOT, "%,d", enhanced.rowsAtEnd()), "");
        row("  quick_check", plain.quickCheck(), enhanced.quickCheck(), "");
        row("  db file size", Sizes.bytes(plain.afterShutdown().databaseBytes()),
                Sizes.bytes(enhanced.afterShutdown().databaseBytes()), "");
        row("  side files, app running", plain.beforeShutdown().sideFilesText(),
                enhanced.beforeShutdown().sideFilesText(), "");
        row("  side files after exit", plain.afterShutdown().sideFilesText(),
                enhanced.afterShutdown().sideFilesText(), "");

        line("");
        line("errors by kind (all phases: warm-up, measured, ledger)");
        errors(plain);
        errors(enhanced);
        line("");
        line("* = differs.  ratio = enhanced / plain.  Plain side: sqlite-jdbc's defaults, as an app gets today.");
        line(failedChecks.isEmpty()
                ? "enhanced driver: journal_mode=wal, no errors, no lost writes, file ok, no -wal/-shm left: all held"
                : "ENHANCED DRIVER BROKE A PROMISE: " + String.join("; ", failedChecks));
        return out.toString();
    }

    /** Failed (unacknowledged) writes explain a difference; anything else would be a real discrepancy. */
    private String ledgerNote() {
        if (Demo.sameLedger(plain, enhanced)) {
            return "same content";
        }
        boolean failedWrites = plain.ledger().acknowledged() != plain.ledger().attempted()
                || enhanced.ledger().acknowledged() != enhanced.ledger().attempted();
        return failedWrites ? "differs: failed writes" : "CONTENT DIFFERS";
    }

    private void errors(SideReport side) {
        Map<String, Long> byKind = side.errors();
        if (byKind.isEmpty()) {
            line(String.format(Locale.ROOT, "  %-26s none", side.title()));
            return;
        }
        String title = side.title();
        for (Map.Entry<String, Long> e : byKind.entrySet()) {
            line(String.format(Locale.ROOT, "  %-26s %,8d  %s", title, e.getValue(), e.getKey()));
            title = "";
        }
    }

    private static String opsPerSecond(SideReport side) {
        return String.format(Locale.ROOT, "%,.0f ops/s", side.workload().opsPerSecond());
    }

    private static String latency(SideReport side) {
        AgentMemoryWorkload.Result w = side.workload();
        long[] all = w.latencies();
        return millis(w.percentile(0.50)) + " / " + millis(w.percentile(0.99)) + " / "
                + millis(Duration.ofNanos(all.length == 0 ? 0 : all[all.length - 1])) + " ms";
    }

    private static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%,.0f", ms);
    }

    private static String okFailed(SideReport side) {
        return String.format(Locale.ROOT, "%,d / %,d", side.workload().operations(), side.workload().failures());
    }

    private static String ledger(SideReport side) {
        Ledger.Check l = side.ledger();
        String state = l.intact() ? "intact" : l.wrongKeys() + " keys WRONG";
        return l.acknowledged() + " acked, " + state;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private void row(String label, String a, String b, String note) {
        out.append(String.format(Locale.ROOT, ROW, label, a, b, note).stripTrailing()).append(NL);
    }

    private void line(String text) {
        out.append(text).append(NL);
    }
}
