package io.github.enhancedsqlite.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated agent-memory workload shaped like the corpus: a {@code memory_entries} table whose values are mostly
 * small JSON records (200–300 bytes) and now and then a session snapshot of 10–40 KB that repeats the session's
 * earlier snapshots (a snapshot is the previous one plus the steps taken since). Everything derives from the seed,
 * so every run and every side see the same bytes.
 */
final class AgentMemory {

    static final String TABLE = "memory_entries";
    static final String VALUE_COLUMN = "value";

    /** The corpus's older schema, trimmed to what the workload writes; key and namespace are indexed, value is not. */
    static final List<String> SCHEMA = List.of(
            "CREATE TABLE memory_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL,"
                    + " namespace TEXT NOT NULL, value TEXT NOT NULL, access_count INTEGER NOT NULL DEFAULT 0,"
                    + " updated_at INTEGER NOT NULL, UNIQUE (key, namespace))",
            "CREATE INDEX idx_memory_updated ON memory_entries (namespace, updated_at)");

    /** The upsert of agent-memory tools: a new value replaces the old one and counts as an access. */
    static final String UPSERT = "INSERT INTO memory_entries (key, namespace, value, updated_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (key, namespace) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,"
            + " access_count = access_count + 1";

    static final String POINT_READ = "SELECT value FROM memory_entries WHERE id = ?";

    /** A phrase about one record in {@value #NEEDLE_EVERY} carries, so a LIKE search has something to find. */
    static final String NEEDLE = "rollback plan";
    static final int NEEDLE_EVERY = 50;

    /** One snapshot among this many values, as in the corpus's session-states namespace. */
    static final int SNAPSHOT_EVERY = 25;

    private static final String[] WORDS = {
        "user", "prefers", "dark", "mode", "and", "short", "answers", "project", "deadline", "friday", "remember",
        "the", "api", "key", "rotates", "monthly", "meeting", "notes", "summary", "follow", "up", "with", "team",
        "on", "release", "checklist", "database", "migration", "pending", "review", "coordinator", "swarm",
        "hierarchical", "topology", "spawned", "researcher", "tester", "completed", "failed", "retry",
    };
    private static final String[] TOOLS = {"Read", "Edit", "Write", "Bash", "Grep", "Glob", "TodoWrite", "Task"};
    private static final String[] FILES = {
        "src/app/main.ts", "src/app/routes.ts", "src/lib/db.ts", "src/lib/auth.ts", "tests/api.test.ts",
        "package.json", "README.md", "src/components/Timer.tsx", "src/hooks/useMemory.ts", "docs/ARCHITECTURE.md",
    };

    /** One row to write. */
    record Entry(String key, String namespace, String value) {
    }

    private AgentMemory() {
    }

    /** Creates the table through the given connection (so the driver under test sees the DDL). */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : SCHEMA) {
                statement.execute(sql);
            }
        }
    }

    /** {@code count} rows with distinct keys: the database a size comparison loads. */
    static List<Entry> distinctEntries(int count, long seed) {
        Generator generator = new Generator(seed);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(generator.next(i));
        }
        return entries;
    }

    /** {@code count} writes over {@code keys} keys, so most of them update an existing row: an upsert workload. */
    static List<Entry> upserts(int count, int keys, long seed) {
        Generator generator = new Generator(seed);
        SplittableRandom pick = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(generator.next(pick.nextInt(keys)));
        }
        return entries;
    }

    /** {@code count} values of about 4 KB: JSON snapshots cut short, one per row. */
    static List<Entry> fourKilobyteEntries(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Entry("doc-" + i, "agent-" + (i % 5), snapshot(i, 4_000, random.nextInt(1_000_000))));
        }
        return entries;
    }

    /** Binds an entry into {@link #UPSERT}. */
    static void bind(PreparedStatement upsert, Entry entry, long updatedAt) throws SQLException {
        upsert.setString(1, entry.key());
        upsert.setString(2, entry.namespace());
        upsert.setString(3, entry.value());
        upsert.setLong(4, updatedAt);
    }

    /** Writes every entry with {@link #UPSERT}, one auto-commit statement each, as an agent's memory tool does. */
    static void write(Connection connection, List<Entry> entries) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            long updatedAt = 1_732_500_000_000L;
            for (Entry entry : entries) {
                bind(upsert, entry, updatedAt++);
                upsert.executeUpdate();
            }
        }
    }

    /** The UTF-8 bytes of every value: what a database that stores them unchanged holds in the value column. */
    static long valueBytes(List<Entry> entries) {
        long bytes = 0;
        for (Entry entry : entries) {
            bytes += entry.value().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    /** Deterministic values: each snapshot continues its session's previous one. */
    private static final class Generator {

        private final SplittableRandom random;
        private final int[] sessionSteps = new int[8];
        private int written;

        Generator(long seed) {
            this.random = new SplittableRandom(seed);
        }

        Entry next(int keyIndex) {
            int n = written++;
            if (n % SNAPSHOT_EVERY == SNAPSHOT_EVERY - 1) {
                int session = random.nextInt(sessionSteps.length);
                int target = random.nextInt(10_000, 40_000);
                return new Entry("session-" + session + "-" + keyIndex, "session-states",
                        snapshot(session, target, 0));
            }
            return new Entry("mem-" + keyIndex, "agent-" + (keyIndex % 5), record(keyIndex, n));
        }

        /** A memory record of 200–300 bytes. */
        private String record(int keyIndex, int n) {
            int textLength = random.nextInt(90, 180);
            StringBuilder text = new StringBuilder();
            if (n % NEEDLE_EVERY == 0) {
                text.append("see the ").append(NEEDLE).append(" for");
            }
            while (text.length() < textLength) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(word(random));
            }
            return "{\"id\":" + keyIndex + ",\"kind\":\"observation\",\"importance\":" + random.nextInt(1, 10)
                    + ",\"source\":\"agent-" + (keyIndex % 5) + "\",\"tags\":[\"" + word(random) + "\",\""
                    + word(random) + "\"],\"createdAt\":" + (1_732_500_000L + n) + ",\"text\":\"" + text + "\"}";
        }
    }

    /**
     * A session snapshot of at least {@code minBytes}: a JSON header and the session's steps from the first on.
     * The steps of a session depend only on the session and the step number, so two snapshots of one session share
     * everything but their latest steps — which is what makes real snapshots compress so well.
     */
    static String snapshot(int session, int minBytes, int variant) {
        StringBuilder json = new StringBuilder(minBytes + 512);
        json.append("{\"sessionId\":\"session-").append(session).append("\",\"variant\":").append(variant)
                .append(",\"status\":\"active\",\"topology\":\"hierarchical\",\"steps\":[");
        int step = 0;
        while (json.length() < minBytes) {
            SplittableRandom stepRandom = new SplittableRandom(session * 1_000_003L + step);
            if (step > 0) {
                json.append(',');
            }
            json.append("{\"step\":").append(step)
                    .append(",\"tool\":\"").append(TOOLS[stepRandom.nextInt(TOOLS.length)])
                    .append("\",\"file\":\"").append(FILES[stepRandom.nextInt(FILES.length)])
                    .append("\",\"ok\":").append(stepRandom.nextInt(10) != 0)
                    .append(",\"ms\":").append(stepRandom.nextInt(5, 5_000))
                    .append(",\"note\":\"");
            int words = stepRandom.nextInt(4, 12);
            for (int w = 0; w < words; w++) {
                json.append(w == 0 ? "" : " ").append(word(stepRandom));
            }
            json.append("\"}");
            step++;
        }
        return json.append("]}").toString();
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
