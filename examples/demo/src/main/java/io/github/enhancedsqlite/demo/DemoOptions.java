package io.github.enhancedsqlite.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What one run of the demo does, parsed from the command line.
 *
 * @param durationPerSide measured time for each side (a short warm-up comes on top)
 * @param threads         concurrent application threads, each opening a connection per operation
 * @param seed            makes both sides run the same operation sequence per thread
 * @param workDir         where the two databases go; {@code null} means a temp dir deleted afterwards
 * @param corpusFile      starting data; {@code null} means look for the project's corpus, then generate
 * @param generateData    ignore any corpus and generate the starting data
 */
record DemoOptions(Duration durationPerSide, int threads, long seed, Path workDir, Path corpusFile,
                   boolean generateData) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar enhanced-sqlite-demo.jar [options]",
            "  --seconds N      measured seconds per side (default 10; decimals allowed, e.g. 0.5)",
            "  --threads N      application threads (default 8)",
            "  --seed N         operation sequence seed (default 42)",
            "  --dir PATH       keep the databases in PATH (must be empty or absent) instead of a temp dir",
            "  --corpus FILE    start from this agent-memory database (memory_entries table); it is copied,",
            "                   never opened in place. 'none' generates data instead. Default: the project's",
            "                   shared/corpus/Coldaine__PersonalParakeet.db if found, else generated data.");

    static DemoOptions defaults() {
        return new DemoOptions(Duration.ofSeconds(10), 8, 42L, null, null, false);
    }

    static DemoOptions parse(String... args) {
        DemoOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new UsageException(null);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(arg.startsWith("--") ? arg + " needs a value" : "unknown argument " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--seconds" -> {
                    double seconds = number(arg, value);
                    if (!(seconds > 0 && seconds <= 600)) {
                        throw new UsageException("--seconds must be > 0 and <= 600, got " + value);
                    }
                    o = o.withDuration(Duration.ofNanos((long) (seconds * 1e9)));
                }
                case "--threads" -> {
                    double threads = number(arg, value);
                    if (threads != Math.rint(threads) || threads < 1 || threads > 64) {
                        throw new UsageException("--threads must be a whole number from 1 to 64, got " + value);
                    }
                    o = new DemoOptions(o.durationPerSide, (int) threads, o.seed, o.workDir, o.corpusFile,
                            o.generateData);
                }
                case "--seed" -> {
                    try {
                        o = new DemoOptions(o.durationPerSide, o.threads, Long.parseLong(value), o.workDir,
                                o.corpusFile, o.generateData);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--seed must be a whole number, got " + value);
                    }
                }
                case "--dir" -> o = new DemoOptions(o.durationPerSide, o.threads, o.seed, Path.of(value),
                        o.corpusFile, o.generateData);
                case "--corpus" -> o = value.toLowerCase(Locale.ROOT).equals("none")
                        ? new DemoOptions(o.durationPerSide, o.threads, o.seed, o.workDir, null, true)
                        : new DemoOptions(o.durationPerSide, o.threads, o.seed, o.workDir, Path.of(value), false);
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        return o;
    }

    DemoOptions withDuration(Duration d) {
        return new DemoOptions(d, threads, seed, workDir, corpusFile, generateData);
    }

    /** Warm-up lets the JIT and the page cache settle so the measured seconds compare like with like. */
    Duration warmUp() {
        Duration quarter = durationPerSide.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? quarter : Duration.ofSeconds(1);
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number, got " + value);
        }
    }

    /** A bad command line: the message says what was wrong, {@code null} means help was asked for. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
