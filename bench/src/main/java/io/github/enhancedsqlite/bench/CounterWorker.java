package io.github.enhancedsqlite.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A child JVM of the multi-process scenario: opens its pool, says {@value #READY}, waits for {@value #GO} on
 * standard input (so JVM start-up, which takes longer than the work on 2 cores, stays out of the timing), runs
 * its threads for a fixed number of units each, writes every success's latency to a file and prints one
 * {@value #RESULT} line. Nothing is retried here beyond what the driver itself does.
 *
 * <pre>
 * CounterWorker &lt;url&gt; &lt;threads&gt; &lt;units per thread&gt; &lt;AUTOCOMMIT|TRANSACTION|IN_TRANSACTION&gt; &lt;latency file&gt; &lt;seed&gt;
 * </pre>
 */
public final class CounterWorker {

    static final String READY = "COUNTER-WORKER READY";
    static final String GO = "GO";
    static final String RESULT = "COUNTER-WORKER RESULT";

    private CounterWorker() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length != 6) {
            System.err.println("usage: CounterWorker <url> <threads> <units per thread> <work> <latency file> <seed>");
            System.exit(2);
        }
        String url = args[0];
        int threads = Integer.parseInt(args[1]);
        int units = Integer.parseInt(args[2]);
        CounterWork work = CounterWork.valueOf(args[3]);
        Path latencyFile = Path.of(args[4]);
        long seed = Long.parseLong(args[5]);

        try (PooledDatabase database = PooledDatabase.open(url)) {
            // Opens the pool (and the file) before the start signal, as a long-running service would have.
            try (Connection connection = database.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM counters")) {
                rs.next();
            }
            out.println(READY);
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (!GO.equals(line)) {
                System.err.println("expected " + GO + " on standard input, got " + line);
                System.exit(3);
            }
            LoadResult result = ConcurrentLoad.forCount(database.dataSource(), work, threads, units, seed);
            // System.nanoTime is CLOCK_MONOTONIC on Linux, one clock for every process, so the parent can lay
            // all children's latencies on one timeline: starts are written as they are.
            try (DataOutputStream file = new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(latencyFile)))) {
                file.writeInt(result.latencies().size());
                for (Latencies.Log log : result.latencies()) {
                    log.write(file, 0);
                }
            }
            out.println(new Result(result.successes(), result.attempts(), result.elapsedNanos(),
                    result.errors()).format());
        }
    }

    /** The parseable line: {@code COUNTER-WORKER RESULT successes=N attempts=N elapsedNanos=N errors=kind:n,...}. */
    record Result(long successes, long attempts, long elapsedNanos, ErrorCounts errors) {

        String format() {
            String kinds = errors.byKind().entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + ":" + e.getValue())
                    .collect(Collectors.joining(","));
            return RESULT + " successes=" + successes + " attempts=" + attempts + " elapsedNanos=" + elapsedNanos
                    + " errors=" + kinds;
        }

        static Result parse(String line) {
            if (!line.startsWith(RESULT + " ")) {
                throw new IllegalArgumentException("not a result line: " + line);
            }
            Map<String, String> fields = new HashMap<>();
            for (String field : line.substring(RESULT.length() + 1).split(" ")) {
                int eq = field.indexOf('=');
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
            ErrorCounts errors = new ErrorCounts();
            String kinds = fields.getOrDefault("errors", "");
            if (!kinds.isEmpty()) {
                for (String kind : kinds.split(",")) {
                    int colon = kind.lastIndexOf(':');
                    errors.add(URLDecoder.decode(kind.substring(0, colon), StandardCharsets.UTF_8),
                            Long.parseLong(kind.substring(colon + 1)));
                }
            }
            return new Result(Long.parseLong(fields.get("successes")), Long.parseLong(fields.get("attempts")),
                    Long.parseLong(fields.get("elapsedNanos")), errors);
        }
    }
}
