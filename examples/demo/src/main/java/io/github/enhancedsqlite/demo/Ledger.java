package io.github.enhancedsqlite.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed, deterministic set of concurrent upserts run on each side after the timed part. The timed part writes
 * as much as each side manages, so its content cannot match across sides; the ledger can. It checks two things:
 * that every write the driver acknowledged is in the file (no lost writes), and that both sides hold the same
 * content.
 */
final class Ledger {

    static final String NAMESPACE = "demo-ledger";
    static final int KEYS_PER_THREAD = 10;
    static final int WRITES_PER_THREAD = 60;

    /**
     * @param attempted    upserts issued
     * @param acknowledged upserts that returned without error
     * @param expected     digest of the content the acknowledged writes imply
     * @param actual       digest of what the database holds
     * @param wrongKeys    keys whose stored row differs from what the acknowledged writes imply
     */
    record Check(long attempted, long acknowledged, String expected, String actual, long wrongKeys) {
        boolean intact() {
            return wrongKeys == 0 && expected.equals(actual);
        }
    }

    /** What one key must hold: the last acknowledged write, and one access_count bump per later upsert. */
    private record Row(String value, long updatedAt, long accessCount) {
        String line(String key) {
            return key + '\t' + value + '\t' + updatedAt + '\t' + accessCount + '\n';
        }
    }

    private Ledger() {
    }

    static Check run(String url, int threads, ErrorTally errors) throws InterruptedException, SQLException {
        Map<String, Row> expected = new ConcurrentHashMap<>();
        AtomicLong acknowledged = new AtomicLong();
        Gang.run("ledger", threads, t -> {
            for (int i = 0; i < WRITES_PER_THREAD; i++) {
                // Each key belongs to one thread, so its final state is fixed by that thread's order alone.
                String key = "ledger/t" + t + "/k" + (i % KEYS_PER_THREAD);
                String value = "{\"writer\":" + t + ",\"seq\":" + i + ",\"note\":\"ledger entry " + i + " of "
                        + WRITES_PER_THREAD + "\"}";
                long updatedAt = 1_700_000_000L + i;
                try (Connection c = DriverManager.getConnection(url);
                     PreparedStatement ps = c.prepareStatement(AgentMemoryWorkload.UPSERT)) {
                    ps.setString(1, key);
                    ps.setString(2, NAMESPACE);
                    ps.setString(3, value);
                    ps.setString(4, null);
                    ps.setLong(5, updatedAt);
                    ps.executeUpdate();
                } catch (SQLException | RuntimeException e) {
                    errors.record(e);
                    continue;
                }
                acknowledged.incrementAndGet();
                expected.merge(key, new Row(value, updatedAt, 0),
                        (old, now) -> new Row(now.value, now.updatedAt, old.accessCount + 1));
            }
        });
        Map<String, Row> actual = read(url);
        long wrong = expected.entrySet().stream().filter(e -> !e.getValue().equals(actual.get(e.getKey()))).count()
                + actual.keySet().stream().filter(k -> !expected.containsKey(k)).count();
        return new Check((long) threads * WRITES_PER_THREAD, acknowledged.get(), digest(new TreeMap<>(expected)),
                digest(actual), wrong);
    }

    private static Map<String, Row> read(String url) throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT key, value, updated_at, access_count FROM memory_entries WHERE namespace=?")) {
            ps.setString(1, NAMESPACE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return rows;
    }

    private static String digest(Map<String, Row> sortedRows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sortedRows.forEach((key, row) -> sha.update(row.line(key).getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
