package io.github.enhancedsqlite.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the named scenarios (all by default) side by side against raw sqlite-jdbc and prints a Markdown report:
 * the machine, the pragma profile of both sides as read back, then per scenario both medians, their ratio and
 * whether the target held. Exit status 0 whether or not targets are met (a benchmark is not a test);
 * 1 if a scenario failed to run; 2 for a usage error.
 *
 * <pre>
 * java -cp "bench/target/enhanced-sqlite-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt)" \
 *     io.github.enhancedsqlite.bench.BenchRunner [--rounds=N] [--warmup=N] [--round-ms=N] [--corpus=DIR] [--self-check]
 *     [scenario|group...]
 * </pre>
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    public static void main(String[] args) {
        // HikariCP's start-up lines at INFO would interleave with the report; warnings still show.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // The report uses µ, ≥ and ±; without this a POSIX locale would print them as '?'.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Options options;
        List<Scenario> scenarios;
        try {
            options = Options.parse(args);
            if (options.help) {
                out.println(usage());
                return;
            }
            scenarios = Scenarios.select(options.scenarioNames);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        System.exit(run(out, options, scenarios));
    }

    private static int run(PrintStream out, Options options, List<Scenario> scenarios) {
        long started = System.nanoTime();
        int failures = 0;
        List<String> summary = new ArrayList<>();
        try (Workspace workspace = Workspace.create(options.selfCheck, options.corpus)) {
            printHeader(out, options, workspace, scenarios);
            out.println("## Pragmas as read back (raw = URL pragmas, enhanced = default profile)");
            out.println();
            ScenarioResult.printTable(out, "pragma", List.of("raw sqlite-jdbc", "enhanced-sqlite", ""),
                    ProfileCheck.compare(workspace));
            out.println();
            out.println("## Results");
            out.println();
            for (Scenario scenario : scenarios) {
                try {
                    ScenarioResult result = scenario.run(workspace, options.plan);
                    result.print(out);
                    result.verdicts().forEach(verdict -> summary.add(scenario.name() + ": " + verdict));
                } catch (Exception e) {
                    failures++;
                    out.println("### " + scenario.name() + " — FAILED");
                    out.println();
                    out.println("```");
                    e.printStackTrace(out);
                    out.println("```");
                    out.println();
                    summary.add(scenario.name() + ": failed to run (" + e + ")");
                }
            }
            List<String> shutdownNotes = workspace.shutDownEnhancedPools();
            out.println("## Summary");
            out.println();
            summary.forEach(line -> out.println("- " + line));
            shutdownNotes.forEach(note -> out.println("- note: " + note));
            out.println();
            out.printf(Locale.ROOT, "Finished in %.0f s; load average at end: %s%n",
                    (System.nanoTime() - started) / 1e9, loadAverage());
        } catch (Exception e) {
            out.println("benchmark could not run:");
            e.printStackTrace(out);
            return 1;
        }
        return failures == 0 ? 0 : 1;
    }

    private static void printHeader(PrintStream out, Options options, Workspace workspace, List<Scenario> scenarios)
            throws Exception {
        out.println("# enhanced-sqlite-jdbc vs raw sqlite-jdbc");
        out.println();
        out.println("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + totalMemory() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "; load average at start: " + loadAverage());
        out.println("- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        Path probe = workspace.freshCopy("driver-probe");
        out.println("- raw: " + describeDriver(Workspace.rawUrl(probe)));
        out.println("- enhanced: " + describeDriver(workspace.enhancedUrl(probe))
                + (workspace.selfCheck() ? " — SELF-CHECK: both sides are raw sqlite-jdbc (A/A noise floor)" : ""));
        if (scenarios.stream().anyMatch(Scenarios.READS::contains)) {
            out.println("- reads: memory_entries, " + MemoryEntries.ROWS + " rows of ~200-byte JSON in "
                    + MemoryEntries.NAMESPACES + " namespaces; each side on its own copy of the same file");
            RoundPlan plan = options.plan;
            out.println("- reads, method: " + plan.warmupRounds() + " warm-up + " + plan.measuredRounds()
                    + " measured rounds of ~" + plan.roundMillis() + " ms per side, raw and enhanced interleaved"
                    + " (ABBA); time per op = median over rounds, ± = half the interquartile range;"
                    + " ratio = median over rounds of raw/enhanced taken back to back (above 1 = enhanced faster),"
                    + " with its interquartile range and, for comparison, the ratio of the two medians;"
                    + " targets are judged on the ratio");
        }
        if (scenarios.stream().anyMatch(Scenarios.WRITERS::contains)) {
            out.println("- writers: counters(id, n), " + Counters.ROWS + " rows, a new file per side; raw ="
                    + " HikariCP (maximumPoolSize " + PooledDatabase.RAW_POOL_SIZE + ") over the raw URL, enhanced ="
                    + " EnhancedSqliteDataSource with default settings; a connection is borrowed per unit of work;"
                    + " nothing is retried by the benchmark");
            out.println("- writers, method: fixed-duration segments per side taking turns; throughput = successes /"
                    + " wall time of a segment, ratio = median over segments of enhanced/raw run back to back"
                    + " (above 1 = enhanced better), ± = half the interquartile range over segments; latencies of"
                    + " successful units pooled over all measured segments (nearest-rank percentiles); errors are"
                    + " what reached the application, by SQLite extended result code and SQLState");
        }
        if (scenarios.stream().anyMatch(Scenarios.COMPRESSION::contains)) {
            out.println("- compression: the enhanced driver with its default profile and `compress=off` vs"
                    + " `compress=auto` (named in each URL; threshold, level and dictionary samples at their defaults),"
                    + " raw sqlite-jdbc with the same pragmas where timed; every side on a new file of its own,"
                    + " written through its own driver; corpus: " + workspace.corpus());
            out.println("- compression, method: sizes after wal_checkpoint(TRUNCATE) + VACUUM, stored bytes counted"
                    + " through raw sqlite-jdbc (envelopes, not decoded values); timings in rounds per side taking"
                    + " turns (" + options.plan.warmupRounds() + " warm-up + " + options.plan.measuredRounds()
                    + " measured), the first side rotating; auto vs off = median over rounds of the two taken"
                    + " back to back, with its interquartile range and the ratio of the medians");
        }
        out.println();
    }

    /** Driver class and the SQLite library under it, to show which driver actually served each URL. */
    private static String describeDriver(String url) throws SQLException {
        String driverClass = DriverManager.getDriver(url).getClass().getName();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            DatabaseMetaData meta = connection.getMetaData();
            return driverClass + " (metadata: " + meta.getDriverName() + " " + meta.getDriverVersion() + "), SQLite "
                    + rs.getString(1);
        }
    }

    private static String totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GiB memory", os.getTotalMemorySize() / (double) (1L << 30));
        }
        return "memory unknown";
    }

    /** The 1/5/15-minute load average: the other tenants of this shared machine show up here. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
        }
    }

    private static String usage() {
        return "usage: BenchRunner [--rounds=N] [--warmup=N] [--round-ms=N] [--corpus=DIR] [--self-check]"
                + " [scenario|group...]\n"
                + "  scenarios (default: all, in this order): " + Scenarios.names() + "\n"
                + "  groups: " + String.join(", ", Scenarios.GROUPS.entrySet().stream()
                        .map(group -> group.getKey() + " (" + names(group.getValue()) + ")").toList()) + "\n"
                + "  --rounds     measured rounds per side (default " + RoundPlan.DEFAULT.measuredRounds() + ")\n"
                + "  --warmup     warm-up rounds per side, discarded (default " + RoundPlan.DEFAULT.warmupRounds()
                + ")\n"
                + "  --round-ms   approximate length of one side's round (default " + RoundPlan.DEFAULT.roundMillis()
                + ")\n"
                + "               (the three round options apply to reads and compression timings; writers run"
                + " fixed-duration segments)\n"
                + "  --corpus     directory of the agent-memory .db files (default: -D" + Corpus.PROPERTY + ", else "
                + Corpus.DEFAULT + " from the working directory, i.e. run from the repository root)\n"
                + "  --self-check run raw sqlite-jdbc on both sides: ratios near 1.00x show the noise floor";
    }

    private static String names(List<Scenario> scenarios) {
        return String.join(", ", scenarios.stream().map(Scenario::name).toList());
    }

    /** Command-line options; anything not starting with "--" is a scenario name. */
    private static final class Options {

        final List<String> scenarioNames = new ArrayList<>();
        RoundPlan plan = RoundPlan.DEFAULT;
        Corpus corpus;
        boolean selfCheck;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            int warmup = RoundPlan.DEFAULT.warmupRounds();
            int rounds = RoundPlan.DEFAULT.measuredRounds();
            int roundMillis = RoundPlan.DEFAULT.roundMillis();
            String corpus = null;
            for (String arg : args) {
                if (arg.equals("--help") || arg.equals("-h")) {
                    options.help = true;
                } else if (arg.equals("--self-check")) {
                    options.selfCheck = true;
                } else if (arg.startsWith("--rounds=")) {
                    rounds = intValue(arg);
                } else if (arg.startsWith("--warmup=")) {
                    warmup = intValue(arg);
                } else if (arg.startsWith("--round-ms=")) {
                    roundMillis = intValue(arg);
                } else if (arg.startsWith("--corpus=")) {
                    corpus = arg.substring("--corpus=".length());
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option " + arg);
                } else {
                    options.scenarioNames.add(arg);
                }
            }
            options.plan = new RoundPlan(warmup, rounds, roundMillis);
            options.corpus = Corpus.locate(corpus);
            return options;
        }

        private static int intValue(String arg) {
            String value = arg.substring(arg.indexOf('=') + 1);
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number in " + arg, e);
            }
        }
    }
}
