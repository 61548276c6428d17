package io.github.enhancedsqlite.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue target (c): several processes increment counters in one file at once — the agent-memory case of many
 * short-lived processes. Each child is a real JVM ({@link CounterWorker}) on the bench's own class path. Across
 * processes the enhanced driver's in-JVM writer queue cannot help; what remains is its BEGIN IMMEDIATE, busy retry
 * and, inside a transaction, rollback with 40001 that {@code inTransaction} replays. Nothing may reach the
 * application and not one increment may be lost or doubled. Raw sqlite-jdbc runs the same children; its failures
 * are counted and not retried.
 */
final class MultiProcessCounters implements Scenario {

    static final int PROCESSES = 4;
    static final int THREADS = 4;
    static final int UNITS = 250;
    /**
     * Runs per side and case. One run is a second or two of work after JVM start-up, too short to trust alone on
     * a shared machine; three, taking turns, give a median and a paired ratio.
     */
    static final int REPEATS = 3;

    /** Far above what a run takes here; only a hung child gets near it. */
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    /** Each case: what the raw children do and what the enhanced children do. */
    private record Case(String label, CounterWork raw, CounterWork enhanced) {
    }

    private static final List<Case> CASES = List.of(
            new Case("read-then-update tx", CounterWork.TRANSACTION, CounterWork.IN_TRANSACTION),
            new Case("auto-commit increment", CounterWork.AUTOCOMMIT, CounterWork.AUTOCOMMIT));

    @Override
    public String name() {
        return "multi-process";
    }

    @Override
    public String title() {
        return "(c) " + PROCESSES + " JVMs × " + THREADS + " threads × " + UNITS
                + " increments each, on one file; read-then-update transactions, then auto-commit updates";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<ScenarioResult.Row> rows = new ArrayList<>();
        List<Target.Verdict> verdicts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long expected = (long) PROCESSES * THREADS * UNITS;
        int caseIndex = 0;
        for (Case c : CASES) {
            String suffix = " — " + c.label();
            List<Run> raws = new ArrayList<>();
            List<Run> enhanceds = new ArrayList<>();
            for (int repeat = 0; repeat < REPEATS; repeat++) {
                String name = name() + "-" + caseIndex + "-" + repeat;
                Path rawFile = workspace.newDatabase(name + "-raw");
                Path enhancedFile = workspace.newDatabase(name + "-enhanced");
                Counters.create(rawFile);
                Counters.create(enhancedFile);
                // The side that runs first alternates, so neither always meets a warmer or a busier machine.
                if ((caseIndex + repeat) % 2 == 0) {
                    raws.add(Run.of(workspace, Workspace.rawUrl(rawFile), c.raw(), name + "-raw"));
                    enhanceds.add(Run.of(workspace, workspace.enhancedUrl(enhancedFile), c.enhanced(),
                            name + "-enhanced"));
                } else {
                    enhanceds.add(Run.of(workspace, workspace.enhancedUrl(enhancedFile), c.enhanced(),
                            name + "-enhanced"));
                    raws.add(Run.of(workspace, Workspace.rawUrl(rawFile), c.raw(), name + "-raw"));
                }
                raws.get(repeat).sum = Counters.total(rawFile);
                enhanceds.get(repeat).sum = Counters.total(enhancedFile);
            }
            Run raw = Run.pooled(raws);
            Run enhanced = Run.pooled(enhanceds);
            double[] rawRates = raws.stream().mapToDouble(Run::perSecond).toArray();
            double[] enhancedRates = enhanceds.stream().mapToDouble(Run::perSecond).toArray();
            double[] ratios = new double[REPEATS];
            for (int i = 0; i < REPEATS; i++) {
                ratios[i] = enhancedRates[i] / rawRates[i];
            }

            rows.add(new ScenarioResult.Row("successful increments/s" + suffix + " (median of " + REPEATS + " runs)",
                    WriterReport.perSecond(Stats.median(rawRates)) + " " + Stats.formatSpread(
                            Stats.relativeSpread(rawRates)),
                    WriterReport.perSecond(Stats.median(enhancedRates)) + " " + Stats.formatSpread(
                            Stats.relativeSpread(enhancedRates)),
                    WriterReport.pairedRatio(ratios, Stats.median(enhancedRates) / Stats.median(rawRates))));
            rows.addAll(WriterReport.latencyRows(suffix, raw.latencies, enhanced.latencies));
            rows.add(new ScenarioResult.Row("errors seen by the application" + suffix, raw.errors.describe(),
                    enhanced.errors.describe(), "—"));
            if (c.enhanced() == CounterWork.IN_TRANSACTION) {
                rows.add(new ScenarioResult.Row("40001 replays inside inTransaction" + suffix, "—",
                        Long.toString(enhanced.attempts - enhanced.successes - enhanced.errors.total()), "—"));
            }
            rows.add(new ScenarioResult.Row("final counter sum per run" + suffix,
                    sums(raws, run -> run.successes) + " successes (of " + expected + " tried)",
                    sums(enhanceds, run -> expected) + " (N·M·K)", "—"));

            boolean exact = enhanceds.stream().allMatch(run -> run.sum == expected && run.successes == expected);
            verdicts.add(new Target.Verdict("target exact final count" + suffix, exact,
                    "enhanced counter sums " + enhanceds.stream().map(run -> Long.toString(run.sum)).toList()
                            + ", expected " + expected + " in each run"));
            verdicts.add(WriterReport.noErrors(suffix, enhanced.errors));
            verdicts.add(new Target.Verdict("throughput reported" + suffix, true,
                    "enhanced/raw = " + Stats.formatRatio(Stats.median(ratios)) + ", median of " + REPEATS
                            + " paired runs"));
            verdicts.add(new Target.Verdict("raw keeps what it acknowledged" + suffix,
                    raws.stream().allMatch(run -> run.sum == run.successes),
                    "raw counter sums " + raws.stream().map(run -> Long.toString(run.sum)).toList()
                            + ", successes " + raws.stream().map(run -> Long.toString(run.successes)).toList()));
            notes.add(c.label() + ": raw children run " + c.raw() + ", enhanced children " + c.enhanced()
                    + "; wall time per run raw " + raws.stream().map(run -> Stats.formatNanos(run.wallNanos)).toList()
                    + ", enhanced " + enhanceds.stream().map(run -> Stats.formatNanos(run.wallNanos)).toList());
            notes.add(c.label() + ", slow raw: " + slowPerRun(raws));
            notes.add(c.label() + ", slow enhanced: " + slowPerRun(enhanceds));
            caseIndex++;
        }
        notes.add("each child: `java -Xmx512m -cp <bench class path> " + CounterWorker.class.getName()
                + " <url> " + THREADS + " " + UNITS + " <work> <latency file> <seed>`; the children of a run open"
                + " their pools, report ready and start together on one signal; throughput = successes / (signal →"
                + " last child's result); latency percentiles pooled over the runs; slow-op times are from the"
                + " run's signal");
        return new ScenarioResult(this, WriterReport.HEADING, rows, verdicts, notes);
    }

    /** Slow-op episodes run by run: runs overlap in time from their signals, so pooling them would merge stalls. */
    private static String slowPerRun(List<Run> runs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            parts.add("run " + (i + 1) + ": " + Latencies.merge(runs.get(i).logs, 0)
                    .describeSlow(WriterReport.SLOW_NANOS, 2));
        }
        return String.join("; ", parts);
    }

    /** "4000 = 4000, 4000 = 4000, …": each run's sum against what it should be. */
    private static String sums(List<Run> runs, java.util.function.ToLongFunction<Run> expected) {
        return runs.stream().map(run -> WriterReport.sumCheck(run.sum, expected.applyAsLong(run)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** All children of one side, started together; their results summed. */
    private static final class Run {

        long successes;
        long attempts;
        long wallNanos;
        long sum;
        final ErrorCounts errors = new ErrorCounts();
        final List<Latencies.Log> logs = new ArrayList<>();
        Latencies latencies;

        double perSecond() {
            return successes / (wallNanos / 1e9);
        }

        /** The runs of one side together: counts and errors summed, latencies pooled (wall time is per run). */
        static Run pooled(List<Run> runs) {
            Run all = new Run();
            for (Run run : runs) {
                all.successes += run.successes;
                all.attempts += run.attempts;
                all.errors.addAll(run.errors);
                all.logs.addAll(run.logs);
            }
            all.latencies = Latencies.merge(all.logs, 0);
            return all;
        }

        static Run of(Workspace workspace, String url, CounterWork work, String name) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            List<Process> processes = new ArrayList<>();
            List<BlockingQueue<String>> lines = new ArrayList<>();
            List<Path> latencyFiles = new ArrayList<>();
            List<Path> errorFiles = new ArrayList<>();
            try {
                for (int p = 0; p < PROCESSES; p++) {
                    Path latencyFile = workspace.directory().resolve(name + "-child-" + p + ".latencies");
                    Path errorFile = workspace.directory().resolve(name + "-child-" + p + ".stderr");
                    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", classPath,
                            CounterWorker.class.getName(), url, Integer.toString(THREADS), Integer.toString(UNITS),
                            work.name(), latencyFile.toString(), Integer.toString(p));
                    builder.redirectError(errorFile.toFile());
                    Process process = builder.start();
                    processes.add(process);
                    lines.add(readLines(process, name + "-child-" + p));
                    latencyFiles.add(latencyFile);
                    errorFiles.add(errorFile);
                }
                for (int p = 0; p < PROCESSES; p++) {
                    expectLine(processes.get(p), lines.get(p), CounterWorker.READY, errorFiles.get(p));
                }
                long go = System.nanoTime();
                for (Process process : processes) {
                    OutputStream in = process.getOutputStream();
                    in.write((CounterWorker.GO + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
                Run run = new Run();
                long lastDone = go;
                for (int p = 0; p < PROCESSES; p++) {
                    CounterWorker.Result result = CounterWorker.Result.parse(
                            expectLine(processes.get(p), lines.get(p), CounterWorker.RESULT, errorFiles.get(p)));
                    lastDone = Math.max(lastDone, System.nanoTime());
                    run.successes += result.successes();
                    run.attempts += result.attempts();
                    run.errors.addAll(result.errors());
                }
                run.wallNanos = lastDone - go;
                for (int p = 0; p < PROCESSES; p++) {
                    Process process = processes.get(p);
                    if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                        throw new IllegalStateException("child " + p + " did not exit cleanly: "
                                + Files.readString(errorFiles.get(p)));
                    }
                }
                for (Path file : latencyFiles) {
                    try (DataInputStream in = new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(file)))) {
                        int count = in.readInt();
                        for (int i = 0; i < count; i++) {
                            // children write System.nanoTime starts; shifted here so each run's signal is 0
                            run.logs.add(Latencies.Log.read(in, -go));
                        }
                    }
                }
                return run;
            } finally {
                for (Process process : processes) {
                    if (process.isAlive()) {
                        process.destroyForcibly(); // only our own children, and only after a failure
                    }
                }
            }
        }

        /** Lines of the child's standard output, read on a daemon thread so a full pipe never blocks the child. */
        private static BlockingQueue<String> readLines(Process process, String name) {
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        queue.add(line);
                    }
                } catch (IOException e) {
                    queue.add("read failed: " + e);
                }
            }, name + "-stdout");
            reader.setDaemon(true);
            reader.start();
            return queue;
        }

        /** The child's next line starting with {@code prefix}; fails soon after the child dies without one. */
        private static String expectLine(Process process, BlockingQueue<String> lines, String prefix, Path errorFile)
                throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            boolean exited = false;
            while (true) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                    continue;
                }
                // one more poll after the exit is seen: its last lines may still be on their way
                if (exited || System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "no '%s' from a child (%s); its standard error: %s", prefix,
                            exited ? "it exited with " + process.exitValue() : "waited " + CHILD_TIMEOUT_SECONDS + " s",
                            Files.readString(errorFile)));
                }
                exited = !process.isAlive();
            }
        }
    }
}
