package io.github.enhancedsqlite.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;

/**
 * The agent-memory table the product is first used for, seeded with small JSON values. Everything is derived
 * from fixed seeds so every run, and both sides of a run, see the same rows and the same lookup order.
 */
final class MemoryEntries {

    static final int ROWS = 5_000;
    static final int NAMESPACES = 5;

    static final String CREATE = "CREATE TABLE memory_entries ("
            + "key TEXT NOT NULL, namespace TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (key, namespace))";
    static final String INSERT = "INSERT INTO memory_entries (key, namespace, value) VALUES (?, ?, ?)";
    static final String POINT_SELECT = "SELECT value FROM memory_entries WHERE key = ? AND namespace = ?";

    /** Lookups cycle through this many pre-drawn keys: enough to touch much of the table, a power of two to wrap. */
    private static final int LOOKUPS = 4_096;

    private static final String[] WORDS = {
        "user", "prefers", "dark", "mode", "and", "short", "answers", "project", "deadline", "friday", "remember",
        "the", "api", "key", "rotates", "monthly", "meeting", "notes", "summary", "follow", "up", "with", "team",
        "on", "release", "checklist", "database", "migration", "pending", "review",
    };

    private MemoryEntries() {
    }

    static String key(int row) {
        return "note-" + row;
    }

    static String namespace(int row) {
        return "agent-" + (row % NAMESPACES);
    }

    /** Creates and fills the table in one transaction, then gathers statistics as a maintained database would have. */
    static void createAndSeed(Connection connection) throws SQLException {
        SplittableRandom random = new SplittableRandom(20_240_601L);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(CREATE);
            }
            // Prepared only after CREATE: SQLite compiles the statement against the schema at prepare time.
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int row = 0; row < ROWS; row++) {
                    insert.setString(1, key(row));
                    insert.setString(2, namespace(row));
                    insert.setString(3, jsonValue(row, random));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        }
    }

    /** About 200 bytes of JSON, the size of a typical memory entry. */
    static String jsonValue(int row, SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        while (text.length() < 110) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return "{\"id\":" + row + ",\"kind\":\"observation\",\"importance\":" + random.nextInt(1, 10)
                + ",\"tags\":[\"" + WORDS[random.nextInt(WORDS.length)] + "\",\"" + WORDS[random.nextInt(WORDS.length)]
                + "\"],\"text\":\"" + text + "\"}";
    }

    /** A fresh cursor over the fixed lookup order; each trial takes its own so both sides read the same keys. */
    static KeySequence lookups() {
        SplittableRandom random = new SplittableRandom(7L);
        String[] keys = new String[LOOKUPS];
        String[] namespaces = new String[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            int row = random.nextInt(ROWS);
            keys[i] = key(row);
            namespaces[i] = namespace(row);
        }
        return new KeySequence(keys, namespaces);
    }

    /** Runs the bound point select and returns the value, failing loudly if the row is missing. */
    static String readValue(PreparedStatement pointSelect) throws SQLException {
        try (ResultSet rs = pointSelect.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("seeded row not found: the benchmark would time the wrong work");
            }
            return rs.getString(1);
        }
    }

    /** Cycles through pre-drawn (key, namespace) pairs without allocating. */
    static final class KeySequence {

        private final String[] keys;
        private final String[] namespaces;
        private int next;

        private KeySequence(String[] keys, String[] namespaces) {
            this.keys = keys;
            this.namespaces = namespaces;
        }

        /** Binds the next pair as parameters 1 (key) and 2 (namespace). */
        void bindNext(PreparedStatement pointSelect) throws SQLException {
            int i = next;
            next = (i + 1) & (keys.length - 1);
            pointSelect.setString(1, keys[i]);
            pointSelect.setString(2, namespaces[i]);
        }
    }
}
