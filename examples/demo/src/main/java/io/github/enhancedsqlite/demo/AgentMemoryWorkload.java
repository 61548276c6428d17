package io.github.enhancedsqlite.demo;

import io.github.enhancedsqlite.demo.StartingData.MemoryKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The timed part: threads doing what agent-memory stores do, each operation on a connection freshly taken from
 * {@link DriverManager} and closed right after, because that is how these apps are written.
 *
 * <p>Mix per operation: 45% upsert of a small JSON value, 30% get by key, 10% list a namespace by recency,
 * 10% {@code LIKE '%term%'} search, 5% upsert of a 10-40 KB session snapshot. Writes lead because most traffic
 * in these stores comes from hooks that record every edit and command; searches are rarer but scan every value.
 */
final class AgentMemoryWorkload {

    static final String MIX = "45% upsert, 30% get, 10% list namespace, 10% LIKE search, 5% 10-40 KB snapshot";

    static final String UPSERT = "INSERT INTO memory_entries(key,namespace,value,metadata,updated_at) "
            + "VALUES(?,?,?,?,?) ON CONFLICT(key,namespace) DO UPDATE SET value=excluded.value, "
            + "updated_at=excluded.updated_at, access_count=access_count+1";
    private static final String GET =
            "SELECT value, metadata, access_count FROM memory_entries WHERE key=? AND namespace=?";
    private static final String LIST = "SELECT key, value, updated_at FROM memory_entries WHERE namespace=? "
            + "ORDER BY updated_at DESC LIMIT 20";
    private static final String SEARCH =
            "SELECT key, namespace, value FROM memory_entries WHERE value LIKE ? LIMIT 20";

    /** Common words end a search early; rare ones make it scan every value, big snapshots included. */
    private static final String[] SEARCH_TERMS = {"completed", "timestamp", "reviewer", "pytest", "deploy",
        "architecture", "coordination", "no-such-term", "python", "zebra"};
    private static final String[] WORK_NAMESPACES = {"coordination", "agent-assignments", "command-results"};

    /**
     * @param operations completed without error
     * @param failures   operations that threw (kinds are in the side's {@link ErrorTally})
     * @param elapsed    from the start signal until the last thread stopped
     * @param latencies  every operation's time including connection open and close, sorted, in nanoseconds
     */
    record Result(long operations, long failures, Duration elapsed, long[] latencies) {

        double opsPerSecond() {
            return operations / (elapsed.toNanos() / 1e9);
        }

        /** Nearest-rank percentile, q in (0, 1]. */
        Duration percentile(double q) {
            if (latencies.length == 0) {
                return Duration.ZERO;
            }
            int rank = (int) Math.ceil(q * latencies.length);
            return Duration.ofNanos(latencies[Math.max(0, Math.min(latencies.length - 1, rank - 1))]);
        }
    }

    private final String url;
    private final List<MemoryKey> keys;
    private final List<String> namespaces;

    AgentMemoryWorkload(String url, StartingData data) {
        this.url = url;
        this.keys = data.keys();
        this.namespaces = data.namespaces();
    }

    Result run(int threads, long seed, Duration duration, ErrorTally errors) throws InterruptedException {
        AtomicLong operations = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long[][] perThread = new long[threads][];
        int[] counts = new int[threads];
        long[] endedAt = new long[threads];
        long startedAt = System.nanoTime();
        Gang.run("agent", threads, t -> {
            // Same seed and thread index on both sides: the same sequence of operations, only the count differs.
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + t);
            long[] latencies = new long[4096];
            int n = 0;
            long ok = 0;
            long failed = 0;
            long deadline = System.nanoTime() + duration.toNanos();
            for (long now = System.nanoTime(); now < deadline; ) {
                try {
                    operation(t, random);
                    ok++;
                } catch (SQLException | RuntimeException e) {
                    errors.record(e);
                    failed++;
                }
                long after = System.nanoTime();
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = after - now;
                now = after;
            }
            perThread[t] = latencies;
            counts[t] = n;
            endedAt[t] = System.nanoTime();
            operations.addAndGet(ok);
            failures.addAndGet(failed);
        });
        long lastEnd = Arrays.stream(endedAt).max().orElse(startedAt);
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        for (int t = 0, at = 0; t < threads; at += counts[t], t++) {
            System.arraycopy(perThread[t], 0, all, at, counts[t]);
        }
        Arrays.sort(all);
        return new Result(operations.get(), failures.get(), Duration.ofNanos(lastEnd - startedAt), all);
    }

    private void operation(int thread, SplittableRandom random) throws SQLException {
        int dice = random.nextInt(100);
        // Decide everything from the random stream before touching the database, so an error on one side
        // cannot shift the sequence relative to the other.
        if (dice < 45) {
            MemoryKey target = random.nextBoolean() ? pick(random, keys)
                    : new MemoryKey("agent-" + thread + "/memory-" + random.nextInt(400),
                            WORK_NAMESPACES[random.nextInt(WORK_NAMESPACES.length)]);
            long now = System.currentTimeMillis() / 1000;
            upsert(target, Payloads.smallValue(random, target.key(), now),
                    Payloads.metadata(random, target.namespace()), now);
        } else if (dice < 75) {
            MemoryKey target = random.nextInt(10) < 7 ? pick(random, keys)
                    : new MemoryKey("agent-" + thread + "/memory-" + random.nextInt(400),
                            WORK_NAMESPACES[random.nextInt(WORK_NAMESPACES.length)]);
            query(GET, target.key(), target.namespace());
        } else if (dice < 85) {
            query(LIST, pick(random, namespaces), null);
        } else if (dice < 95) {
            query(SEARCH, "%" + SEARCH_TERMS[random.nextInt(SEARCH_TERMS.length)] + "%", null);
        } else {
            MemoryKey target = new MemoryKey("session-" + thread + "-" + random.nextInt(16),
                    StartingData.SNAPSHOT_NAMESPACE);
            String snapshot = Payloads.snapshot(random, 10_000 + random.nextInt(30_001));
            long now = System.currentTimeMillis() / 1000;
            upsert(target, snapshot, "{\"kind\":\"snapshot\"}", now);
        }
    }

    private void upsert(MemoryKey target, String value, String metadata, long updatedAt) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, target.key());
            ps.setString(2, target.namespace());
            ps.setString(3, value);
            ps.setString(4, metadata);
            ps.setLong(5, updatedAt);
            ps.executeUpdate();
        }
    }

    /** Reads every column of every row, as an app that deserialises the JSON would. */
    private void query(String sql, String first, String second) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, first);
            if (second != null) {
                ps.setString(2, second);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getString(i);
                    }
                }
            }
        }
    }

    private static <T> T pick(SplittableRandom random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
