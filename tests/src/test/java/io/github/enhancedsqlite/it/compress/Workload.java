package io.github.enhancedsqlite.it.compress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A seeded random workload of agent-memory operations and general SQL. Each operation is generated once (all of
 * its parameters drawn before it runs) and then run on two connections; what it returns — every row, every
 * column's getObject with its Java class (which mirrors SQLite's storage class) and getString, update counts,
 * batch counts, errors — is rendered as text so the two sides can be compared step by step.
 */
final class Workload {

    /** Tables the workload adds next to memory_entries (on both sides, from the same statements). */
    static final String[] EXTRA_SCHEMA = {
        "CREATE TABLE entry_tags (id INTEGER PRIMARY KEY, entry_key TEXT NOT NULL, namespace TEXT NOT NULL,"
            + " tag TEXT, note TEXT)",
        "CREATE INDEX idx_entry_tags_entry ON entry_tags(entry_key, namespace)",
        "CREATE TABLE archive (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, namespace TEXT, value TEXT,"
            + " metadata TEXT, archived_at INTEGER)",
    };

    static final String[] NAMESPACES = {"default", "sessions", "session-states", "hooks:pre-bash", "coordination",
        "performance-metrics", "agent-assignments", "file-history"};

    private static final String[] WORDS = {"task", "agent", "session", "error", "status", "done", "pending",
        "swarm", "memory", "hook", "bash", "edit", "commit", "review", "test", "build", "deploy", "retry", "queue",
        "worker", "café", "naïve", "Straße", "日本語", "漢字", "emoji😀", "🚀launch", "Ελληνικά", "עברית", "e\u0301",
        "über", "ünïcödé"};

    private static final String[] TAGS = {"urgent", "later", "ui", "backend", "flaky", "done", "blocked", "ß", "中"};

    private static final String[] UNICODE_BLOCKS = {"café au lait ", "日本語のテキスト", "漢字と仮名 ", "😀😃😄😁🚀🌍 ",
        "Ελληνικά κείμενα ", "עברית טקסט ", "русский текст ", "e\u0301\u0301 combining ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ", "\t\n\r ",
        "null\u0000inside ", "ﬁligatures ", "🏳️‍🌈 zwj "};

    /** One operation, with everything it binds already drawn. */
    record Op(String description, SqlWork work) {
        @Override
        public String toString() {
            return description;
        }
    }

    @FunctionalInterface
    interface SqlWork {
        String run(Connection connection) throws SQLException;
    }

    private final Random random;
    private final boolean envelopeLikeBlobs;
    private final List<String[]> knownEntries = new ArrayList<>();
    private final List<String> metadataPool = new ArrayList<>();
    private long clock = 1_754_377_555L;
    private int nextKey;

    /**
     * @param envelopeLikeBlobs whether some BLOB values begin with the envelope magic bytes
     * @param existing          (key, namespace) pairs already in the database, to be hit by the workload
     */
    Workload(long seed, boolean envelopeLikeBlobs, List<String[]> existing) {
        this.random = new Random(seed);
        this.envelopeLikeBlobs = envelopeLikeBlobs;
        knownEntries.addAll(existing);
        for (int i = 0; i < 12; i++) {
            metadataPool.add(i % 4 == 0 ? smallJson(60) : "{\"source\":\"" + pick(WORDS) + "\",\"priority\":" + i
                    + ",\"tags\":[\"" + pick(TAGS) + "\"],\"agent\":\"agent-" + (i % 3) + "\",\"note\":\""
                    + sentence(6 + i) + "\"}");
        }
    }

    // ------------------------------------------------------------------ values

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String sentence(int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(pick(WORDS));
        }
        return text.toString();
    }

    /** A small JSON record about {@code size} bytes long, like most values of the corpus. */
    private String smallJson(int size) {
        StringBuilder json = new StringBuilder("{\"type\":\"").append(pick(new String[] {"task", "hook", "metric",
            "note"})).append("\",\"status\":\"").append(pick(new String[] {"done", "pending", "error", "running"}))
            .append("\",\"n\":").append(random.nextInt(1000)).append(",\"tags\":[\"").append(pick(TAGS))
            .append("\",\"").append(pick(TAGS)).append("\"],\"text\":\"");
        while (json.length() < size) {
            json.append(pick(WORDS)).append(' ');
        }
        return json.append("\"}").toString();
    }

    /** A 10–40 KB, highly repetitive session snapshot, like the few large values that hold most corpus bytes. */
    private String snapshot() {
        int target = 10_000 + random.nextInt(30_000);
        StringBuilder json = new StringBuilder("{\"sessionId\":\"session-").append(random.nextInt(100_000))
                .append("\",\"status\":\"active\",\"files\":[");
        int i = 0;
        while (json.length() < target) {
            json.append(i == 0 ? "" : ",").append("{\"path\":\"src/main/java/io/github/agent/module").append(i % 17)
                    .append("/File").append(i).append(".java\",\"status\":\"").append(i % 3 == 0 ? "modified" : "clean")
                    .append("\",\"lines\":").append(i * 7 % 500).append("}");
            i++;
        }
        return json.append("],\"summary\":\"").append(sentence(8)).append("\"}").toString();
    }

    private String unicodeText() {
        StringBuilder text = new StringBuilder();
        int target = random.nextInt(4) == 0 ? 8 : 30 + random.nextInt(600);
        while (text.length() < target) {
            text.append(pick(UNICODE_BLOCKS));
        }
        return text.toString();
    }

    private byte[] blob() {
        int kind = random.nextInt(envelopeLikeBlobs ? 4 : 3);
        byte[] bytes;
        if (kind == 0) {
            bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
        } else if (kind == 1) {
            bytes = new byte[100 + random.nextInt(20_000)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i % 13 + (i / 512) % 3);
            }
        } else if (kind == 2) {
            bytes = unicodeText().getBytes(StandardCharsets.UTF_8);
        } else {
            // begins with the envelope magic: raw payload format, or random bytes after it
            byte[] tail = new byte[random.nextInt(300)];
            random.nextBytes(tail);
            if (random.nextBoolean()) {
                Arrays.fill(tail, (byte) 'a');
            }
            bytes = new byte[10 + tail.length];
            byte[] header = {(byte) 0xEC, 'E', 'S', 'Z', 1, (byte) (random.nextBoolean() ? 0x10 : 0x11), 0, 0, 0, 0};
            System.arraycopy(header, 0, bytes, 0, header.length);
            System.arraycopy(tail, 0, bytes, 10, tail.length);
        }
        return bytes;
    }

    /** A value for memory_entries.value: mostly small JSON, some snapshots, unicode, short text and BLOBs. */
    private Object value() {
        int kind = random.nextInt(100);
        if (kind < 55) {
            return smallJson(50 + random.nextInt(350));
        }
        if (kind < 63) {
            return snapshot();
        }
        if (kind < 75) {
            return unicodeText();
        }
        if (kind < 80) {
            return "short " + random.nextInt(1000);
        }
        if (kind < 83) {
            return String.valueOf(random.nextInt(12)); // a number as TEXT: comparisons with numbers find it
        }
        if (kind < 88) {
            return "";
        }
        return blob();
    }

    private Object metadata() {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return null;
        }
        if (kind < 8) {
            return metadataPool.get(random.nextInt(metadataPool.size()));
        }
        return smallJson(40 + random.nextInt(200));
    }

    private String[] entry() {
        if (!knownEntries.isEmpty() && random.nextInt(4) != 0) {
            return knownEntries.get(random.nextInt(knownEntries.size()));
        }
        String namespace = pick(NAMESPACES);
        String key = switch (random.nextInt(4)) {
            case 0 -> "task-" + nextKey;
            case 1 -> "session-state:" + nextKey;
            case 2 -> "hook:pre-bash:bash-" + (1_754_377_555_965L + nextKey);
            default -> "note/" + pick(WORDS) + "/" + nextKey;
        };
        nextKey++;
        String[] entry = {key, namespace};
        knownEntries.add(entry);
        return entry;
    }

    private String likePattern() {
        return switch (random.nextInt(6)) {
            case 0 -> "%" + pick(WORDS) + "%";
            case 1 -> "%\"status\":\"" + pick(new String[] {"done", "error"}) + "\"%";
            case 2 -> pick(new String[] {"task-%", "session%", "hook:%", "note/%"});
            case 3 -> "%" + pick(TAGS) + "%";
            case 4 -> "%modified%";
            default -> "%" + (char) ('a' + random.nextInt(26)) + "_" + (char) ('a' + random.nextInt(26)) + "%";
        };
    }

    // ------------------------------------------------------------------ operations

    Op next() {
        clock += 1 + random.nextInt(30);
        int roll = random.nextInt(140);
        if (roll < 30) {
            return upsert();
        }
        if (roll < 34) {
            return insertOrReplace();
        }
        if (roll < 36) {
            return plainInsert();
        }
        if (roll < 46) {
            return retrieve();
        }
        if (roll < 51) {
            return listByNamespace();
        }
        if (roll < 57) {
            return search();
        }
        if (roll < 61) {
            return jsonFilter();
        }
        if (roll < 64) {
            return stats();
        }
        if (roll < 67) {
            return delete();
        }
        if (roll < 70) {
            return ttlCleanup();
        }
        if (roll < 76) {
            return addTag();
        }
        if (roll < 80) {
            return joins();
        }
        if (roll < 84) {
            return subQueries();
        }
        if (roll < 87) {
            return groupByHaving();
        }
        if (roll < 90) {
            return orderByValue();
        }
        if (roll < 93) {
            return distinctAndUnion();
        }
        if (roll < 95) {
            return cte();
        }
        if (roll < 100) {
            return expressions();
        }
        if (roll < 105) {
            return appendToValue();
        }
        if (roll < 108) {
            return insertSelect();
        }
        if (roll < 112) {
            return preparedBatch();
        }
        if (roll < 114) {
            return statementBatch();
        }
        if (roll < 119) {
            return transaction();
        }
        if (roll < 123) {
            return statementQuery();
        }
        if (roll < 127) {
            return copyBetweenColumns();
        }
        if (roll < 131) {
            return updateValue();
        }
        if (roll < 133) {
            return numericComparison();
        }
        if (roll < 135) {
            return sqlTransaction();
        }
        if (roll < 137) {
            return literalValue();
        }
        return selectStar();
    }

    private Object[] upsertParameters() {
        String[] entry = entry();
        Long ttl = random.nextInt(3) == 0 ? (long) (60 + random.nextInt(3600)) : null;
        return new Object[] {entry[0], value(), entry[1], metadata(), clock, clock, clock, ttl,
            ttl == null ? null : clock + ttl};
    }

    private Op upsert() {
        Object[] parameters = upsertParameters();
        return new Op("upsert " + summary(parameters), c -> update(c, CompressDb.UPSERT, parameters));
    }

    private Op insertOrReplace() {
        Object[] parameters = upsertParameters();
        String sql = "INSERT OR REPLACE INTO memory_entries (key, value, namespace, metadata, created_at, updated_at,"
                + " accessed_at, ttl, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return new Op("insert or replace " + summary(parameters), c -> update(c, sql, parameters));
    }

    private Op plainInsert() {
        Object[] parameters = upsertParameters();
        String sql = "INSERT INTO memory_entries (key, value, namespace, metadata, created_at, updated_at,"
                + " accessed_at, ttl, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return new Op("insert " + summary(parameters), c -> update(c, sql, parameters));
    }

    private Op retrieve() {
        String[] entry = entry();
        long now = clock;
        return new Op("retrieve " + entry[0] + " in " + entry[1], c -> query(c,
                "SELECT id, key, value, namespace, metadata, created_at, updated_at, accessed_at, access_count, ttl,"
                        + " expires_at FROM memory_entries WHERE key = ? AND namespace = ?", entry[0], entry[1])
                + update(c, "UPDATE memory_entries SET accessed_at = ?, access_count = access_count + 1"
                        + " WHERE key = ? AND namespace = ?", now, entry[0], entry[1]));
    }

    private Op listByNamespace() {
        String namespace = pick(NAMESPACES);
        int limit = 5 + random.nextInt(40);
        return new Op("list " + namespace + " limit " + limit, c -> query(c,
                "SELECT key, value, metadata, updated_at, access_count FROM memory_entries WHERE namespace = ?"
                        + " ORDER BY updated_at DESC, id DESC LIMIT ?", namespace, limit));
    }

    private Op search() {
        String keyPattern = likePattern();
        String valuePattern = likePattern();
        String namespace = pick(NAMESPACES);
        String metadataPattern = "%" + pick(TAGS) + "%";
        return switch (random.nextInt(3)) {
            case 0 -> new Op("search key/value " + keyPattern + " " + valuePattern, c -> query(c,
                    "SELECT key, namespace, value FROM memory_entries WHERE key LIKE ? OR value LIKE ?"
                            + " ORDER BY namespace, key", keyPattern, valuePattern));
            case 1 -> new Op("search value in namespace " + namespace + " " + valuePattern, c -> query(c,
                    "SELECT id, key FROM memory_entries WHERE namespace = ? AND value LIKE ? ORDER BY id",
                    namespace, valuePattern));
            default -> new Op("count value NOT LIKE " + valuePattern + ", metadata LIKE " + metadataPattern, c -> query(c,
                    "SELECT count(*), sum(length(value)) FROM memory_entries WHERE value NOT LIKE ?"
                            + " AND metadata LIKE ?", valuePattern, metadataPattern));
        };
    }

    private static final String JSON_TEXT = "typeof(value) = 'text' AND json_valid(value)";

    private Op jsonFilter() {
        String status = pick(new String[] {"done", "pending", "error", "running"});
        int n = random.nextInt(1000);
        return switch (random.nextInt(3)) {
            case 0 -> new Op("json status " + status, c -> query(c,
                    "SELECT key, namespace, CASE WHEN " + JSON_TEXT + " THEN json_extract(value, '$.n') END"
                            + " FROM memory_entries WHERE CASE WHEN " + JSON_TEXT
                            + " THEN json_extract(value, '$.status') END = ? ORDER BY id", status));
            case 1 -> new Op("json n > " + n, c -> query(c,
                    "SELECT key, CASE WHEN " + JSON_TEXT + " THEN json_extract(value, '$.tags[0]') END AS tag"
                            + " FROM memory_entries WHERE CASE WHEN " + JSON_TEXT
                            + " THEN json_extract(value, '$.n') END > ? ORDER BY tag, id", n));
            default -> new Op("json metadata agent", c -> query(c,
                    "SELECT json_extract(metadata, '$.agent') AS agent, count(*), max(length(value))"
                            + " FROM memory_entries WHERE metadata IS NOT NULL AND json_valid(metadata)"
                            + " GROUP BY agent ORDER BY agent"));
        };
    }

    private Op stats() {
        return new Op("namespace stats", c -> query(c,
                "SELECT namespace, count(*), SUM(length(value)), max(length(value)), min(length(value)),"
                        + " sum(access_count), SUM(length(metadata)) FROM memory_entries GROUP BY namespace"
                        + " ORDER BY namespace"));
    }

    private Op delete() {
        String[] entry = entry();
        return new Op("delete " + entry[0] + " in " + entry[1], c -> update(c,
                "DELETE FROM memory_entries WHERE key = ? AND namespace = ?", entry[0], entry[1]));
    }

    private Op ttlCleanup() {
        long now = clock;
        return new Op("ttl cleanup at " + now, c -> update(c,
                "DELETE FROM memory_entries WHERE expires_at IS NOT NULL AND expires_at < ?", now));
    }

    private Op addTag() {
        String[] entry = entry();
        String tag = pick(TAGS);
        Object note = random.nextInt(3) == 0 ? metadataPool.get(random.nextInt(metadataPool.size()))
                : random.nextBoolean() ? smallJson(40 + random.nextInt(300)) : null;
        return new Op("tag " + entry[0] + " " + tag, c -> update(c,
                "INSERT INTO entry_tags (entry_key, namespace, tag, note) VALUES (?, ?, ?, ?)", entry[0], entry[1],
                tag, note));
    }

    private Op joins() {
        String tag = pick(TAGS);
        String namespace = pick(NAMESPACES);
        return switch (random.nextInt(4)) {
            case 0 -> new Op("join tags " + tag, c -> query(c,
                    "SELECT m.key, t.tag, t.note, length(m.value), substr(m.value, 1, 20) FROM memory_entries m"
                            + " JOIN entry_tags t ON t.entry_key = m.key AND t.namespace = m.namespace"
                            + " WHERE t.tag = ? ORDER BY m.id, t.id", tag));
            case 1 -> new Op("join on compressed note = metadata", c -> query(c,
                    "SELECT m.id, t.id, m.metadata FROM memory_entries m JOIN entry_tags t ON t.note = m.metadata"
                            + " ORDER BY m.id, t.id LIMIT 200"));
            case 2 -> new Op("left join with star", c -> query(c,
                    "SELECT m.*, t.tag, t.note FROM memory_entries m LEFT JOIN entry_tags t"
                            + " ON t.entry_key = m.key AND t.namespace = m.namespace WHERE m.namespace = ?"
                            + " ORDER BY m.id, t.id", namespace));
            // within one namespace: a join on a compressed column decompresses once per pair of rows
            default -> new Op("self join on value in " + namespace, c -> query(c,
                    "SELECT a.id, b.id FROM memory_entries a JOIN memory_entries b ON a.value = b.value"
                            + " AND a.id < b.id WHERE a.namespace = ? ORDER BY a.id, b.id", namespace));
        };
    }

    private Op subQueries() {
        int min = random.nextInt(2000);
        String tag = pick(TAGS);
        String namespace = pick(NAMESPACES);
        return switch (random.nextInt(3)) {
            case 0 -> new Op("value in tag notes", c -> query(c,
                    "SELECT key FROM memory_entries WHERE value IN (SELECT note FROM entry_tags) OR metadata IN"
                            + " (SELECT note FROM entry_tags WHERE tag = ?) ORDER BY id", tag));
            case 1 -> new Op("correlated count, length > " + min, c -> query(c,
                    "SELECT m.key, (SELECT count(*) FROM entry_tags t WHERE t.entry_key = m.key),"
                            + " (SELECT max(length(note)) FROM entry_tags t WHERE t.namespace = m.namespace)"
                            + " FROM memory_entries m WHERE length(m.value) > ? ORDER BY m.id", min));
            default -> new Op("exists / scalar sub-query in " + namespace, c -> query(c,
                    "SELECT id, key, value FROM memory_entries m WHERE m.namespace = ? AND EXISTS (SELECT 1"
                            + " FROM entry_tags t WHERE t.note = m.metadata) AND length(value) = (SELECT"
                            + " max(length(value)) FROM memory_entries x WHERE x.namespace = m.namespace) ORDER BY id",
                    namespace));
        };
    }

    private Op groupByHaving() {
        int min = 1 + random.nextInt(3);
        return switch (random.nextInt(3)) {
            case 0 -> new Op("group by metadata having count >= " + min, c -> query(c,
                    "SELECT metadata, count(*), sum(length(value)) FROM memory_entries GROUP BY metadata"
                            + " HAVING count(*) >= ? ORDER BY metadata", min));
            case 1 -> new Op("group by value prefix", c -> query(c,
                    "SELECT substr(value, 1, 10) AS prefix, count(*), max(value) FROM memory_entries"
                            + " GROUP BY prefix HAVING max(length(value)) > 5 ORDER BY prefix"));
            default -> new Op("group by value", c -> query(c,
                    "SELECT value, count(*), min(key), max(id) FROM memory_entries GROUP BY value HAVING count(*) > 1"
                            + " ORDER BY value"));
        };
    }

    private Op orderByValue() {
        String namespace = pick(NAMESPACES);
        boolean descending = random.nextBoolean();
        return new Op("order by value " + (descending ? "desc" : "asc") + " in " + namespace, c -> query(c,
                "SELECT id, value, typeof(value) FROM memory_entries WHERE namespace = ? ORDER BY value "
                        + (descending ? "DESC" : "ASC") + ", id LIMIT 25", namespace));
    }

    private Op distinctAndUnion() {
        String namespace = pick(NAMESPACES);
        return switch (random.nextInt(3)) {
            case 0 -> new Op("distinct metadata", c -> query(c,
                    "SELECT DISTINCT metadata FROM memory_entries ORDER BY 1"));
            case 1 -> new Op("union values and notes", c -> query(c,
                    "SELECT value FROM memory_entries WHERE namespace = ? UNION SELECT note FROM entry_tags"
                            + " ORDER BY 1 LIMIT 40", namespace));
            default -> new Op("union all with typeof", c -> query(c,
                    "SELECT 'm', id, metadata, typeof(metadata) FROM memory_entries WHERE metadata IS NOT NULL"
                            + " UNION ALL SELECT 't', id, note, typeof(note) FROM entry_tags ORDER BY 1, 2"));
        };
    }

    private Op cte() {
        String namespace = pick(NAMESPACES);
        return new Op("cte recent in " + namespace, c -> query(c,
                "WITH recent AS (SELECT key, value, updated_at FROM memory_entries WHERE namespace = ?"
                        + " ORDER BY updated_at DESC, id DESC LIMIT 10),"
                        + " sizes AS (SELECT key, length(value) AS size FROM recent)"
                        + " SELECT r.key, s.size, substr(r.value, 1, 30), r.value FROM recent r JOIN sizes s"
                        + " ON s.key = r.key ORDER BY r.key", namespace));
    }

    private Op expressions() {
        int start = 1 + random.nextInt(50);
        int length = random.nextInt(100);
        int offset = random.nextInt(50);
        return new Op("expressions substr(" + start + "," + length + ") offset " + offset, c -> query(c,
                "SELECT id, substr(value, ?, ?), length(value), value || '#', typeof(value), typeof(metadata),"
                        + " CASE WHEN length(value) > 1000 THEN 'big' WHEN value LIKE '{%' THEN 'json'"
                        + " WHEN value = '' THEN 'empty' ELSE 'other' END, coalesce(metadata, value), hex(substr(value, 1, 8)),"
                        + " instr(value, 'task'), upper(substr(metadata, 1, 12)), value = metadata, value IS NULL"
                        + " FROM memory_entries ORDER BY id LIMIT 40 OFFSET ?", start, length, offset));
    }

    private Op appendToValue() {
        String[] entry = entry();
        String suffix = random.nextBoolean() ? " +" + pick(WORDS) : smallJson(60);
        long now = clock;
        return new Op("append to " + entry[0] + " in " + entry[1], c -> update(c,
                // a BLOB || text is TEXT that need not be valid UTF-8: kept out of the general workload, see
                // SqlTransparencyTest#textThatIsNotValidUtf8ReadsTheSame
                "UPDATE memory_entries SET value = value || ?, updated_at = ? WHERE key = ? AND namespace = ?"
                        + " AND typeof(value) = 'text'", suffix, now, entry[0], entry[1]));
    }

    private Op updateValue() {
        String[] entry = entry();
        Object value = value();
        Object metadata = metadata();
        long now = clock;
        return new Op("update value of " + entry[0] + " in " + entry[1] + " to " + summary(value), c -> update(c,
                "UPDATE memory_entries SET value = ?, metadata = ?, updated_at = ? WHERE key = ? AND namespace = ?",
                value, metadata, now, entry[0], entry[1]));
    }

    private Op copyBetweenColumns() {
        String namespace = pick(NAMESPACES);
        return switch (random.nextInt(2)) {
            case 0 -> new Op("metadata = value in " + namespace, c -> update(c,
                    "UPDATE memory_entries SET metadata = value WHERE namespace = ? AND length(value) < 600",
                    namespace));
            default -> new Op("tag note = entry value in " + namespace, c -> update(c,
                    "UPDATE entry_tags SET note = (SELECT m.value FROM memory_entries m WHERE m.key ="
                            + " entry_tags.entry_key AND m.namespace = entry_tags.namespace) WHERE namespace = ?",
                    namespace));
        };
    }

    private Op insertSelect() {
        String namespace = pick(NAMESPACES);
        long now = clock;
        return random.nextBoolean()
                ? new Op("archive " + namespace, c -> update(c,
                        "INSERT INTO archive (key, namespace, value, metadata, archived_at) SELECT key, namespace,"
                                + " value, metadata, ? FROM memory_entries WHERE namespace = ?", now, namespace))
                : new Op("restore archive into " + namespace, c -> update(c,
                        // INSERT OR IGNORE … SELECT would be the natural form; JSqlParser cannot parse it (see
                        // SqlTransparencyTest#insertOrIgnoreSelectFromACompressedTableIsRefusedOrCorrect)
                        "INSERT INTO memory_entries (key, value, namespace, metadata, created_at, updated_at,"
                                + " accessed_at) SELECT key || ':restored', value, ?, metadata, archived_at,"
                                + " archived_at, archived_at FROM archive WHERE id % 5 = 0 ON CONFLICT DO NOTHING",
                        namespace));
    }

    private Op preparedBatch() {
        int size = 2 + random.nextInt(7);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rows.add(upsertParameters());
        }
        return new Op("prepared batch of " + size + " upserts", c -> {
            try (PreparedStatement statement = c.prepareStatement(CompressDb.UPSERT)) {
                for (Object[] row : rows) {
                    CompressDb.bind(statement, row);
                    statement.addBatch();
                }
                return "batch " + Arrays.toString(statement.executeBatch());
            } catch (SQLException e) {
                return error(e);
            }
        });
    }

    private Op statementBatch() {
        String namespace = pick(NAMESPACES);
        String tag = pick(TAGS);
        String note = sentence(20).replace("'", "''");
        long now = clock;
        List<String> sql = List.of(
                "UPDATE memory_entries SET access_count = access_count + 1, accessed_at = " + now
                        + " WHERE namespace = '" + namespace + "'",
                "INSERT INTO entry_tags (entry_key, namespace, tag, note) VALUES ('batch-" + now + "', '" + namespace
                        + "', '" + tag + "', '" + note + "')",
                "DELETE FROM entry_tags WHERE id % 11 = " + (now % 11),
                "UPDATE entry_tags SET note = note || ' (seen)' WHERE tag = '" + tag + "' AND typeof(note) = 'text'");
        return new Op("statement batch in " + namespace, c -> {
            try (Statement statement = c.createStatement()) {
                for (String each : sql) {
                    statement.addBatch(each);
                }
                return "batch " + Arrays.toString(statement.executeBatch());
            } catch (SQLException e) {
                return error(e);
            }
        });
    }

    private Op transaction() {
        int size = 2 + random.nextInt(6);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int roll = random.nextInt(7);
            ops.add(switch (roll) {
                case 0, 1 -> upsert();
                case 2 -> appendToValue();
                case 3 -> delete();
                case 4 -> retrieve();
                case 5 -> addTag();
                default -> updateValue();
            });
        }
        boolean rollback = random.nextInt(3) == 0;
        return new Op((rollback ? "rolled back" : "committed") + " transaction of " + ops, c -> {
            StringBuilder outcome = new StringBuilder();
            c.setAutoCommit(false);
            try {
                for (Op op : ops) {
                    outcome.append(op.work().run(c)).append('\n');
                }
                if (rollback) {
                    c.rollback();
                } else {
                    c.commit();
                }
            } catch (SQLException e) {
                outcome.append(error(e));
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
            return outcome.toString();
        });
    }

    /** A TEXT column compared with numbers: SQLite gives them the column's TEXT affinity. */
    private Op numericComparison() {
        int n = random.nextInt(12);
        int upper = random.nextInt(12);
        return new Op("value compared with numbers " + n + ", " + upper, c -> query(c,
                "SELECT id, key, typeof(value), substr(value, 1, 30), typeof(metadata), substr(metadata, 1, 30) FROM memory_entries WHERE value = ? OR value IN (?, 7) OR value BETWEEN 3 AND ?"
                        + " OR metadata = 4 ORDER BY id", n, n + 1, upper));
    }

    /** A transaction begun and ended in SQL rather than through the Connection. */
    private Op sqlTransaction() {
        int size = 1 + random.nextInt(4);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ops.add(random.nextBoolean() ? upsert() : updateValue());
        }
        String end = random.nextInt(3) == 0 ? "ROLLBACK" : "COMMIT";
        return new Op("BEGIN … " + end + " in SQL of " + ops, c -> {
            StringBuilder outcome = new StringBuilder();
            try (Statement statement = c.createStatement()) {
                statement.execute("BEGIN");
                try {
                    for (Op op : ops) {
                        outcome.append(op.work().run(c)).append('\n');
                    }
                } finally {
                    statement.execute(end);
                }
            } catch (SQLException e) {
                outcome.append(error(e));
            }
            return outcome.toString();
        });
    }

    /** Values written as SQL literals (a BLOB among them may begin like an envelope). */
    private Op literalValue() {
        byte[] bytes = blob();
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 600));
        String namespace = pick(NAMESPACES);
        long now = clock;
        return new Op("literal values into " + namespace + " X'" + (hex.length() > 40 ? hex.substring(0, 40) : hex) + "…'",
                c -> update(c, "INSERT INTO memory_entries (key, value, namespace, metadata, created_at, updated_at,"
                        + " accessed_at) VALUES ('literal-" + now + "', X'" + hex + "', '" + namespace + "', 'lit', "
                        + now + ", " + now + ", " + now + ") ON CONFLICT(key, namespace) DO UPDATE SET"
                        + " value = excluded.value"));
    }

    private Op statementQuery() {
        String namespace = pick(NAMESPACES);
        boolean viaExecute = random.nextBoolean();
        String sql = "SELECT id, key, value, metadata FROM memory_entries WHERE namespace = '" + namespace
                + "' ORDER BY id";
        return new Op("Statement." + (viaExecute ? "execute" : "executeQuery") + " " + namespace, c -> {
            try (Statement statement = c.createStatement()) {
                if (viaExecute) {
                    statement.execute(sql);
                    try (ResultSet result = statement.getResultSet()) {
                        return render(result);
                    }
                }
                try (ResultSet result = statement.executeQuery(sql)) {
                    return render(result);
                }
            } catch (SQLException e) {
                return error(e);
            }
        });
    }

    private Op selectStar() {
        String namespace = pick(NAMESPACES);
        return new Op("select * in " + namespace, c -> query(c,
                "SELECT * FROM memory_entries WHERE namespace = ? ORDER BY id", namespace));
    }

    /** Every row of every table the workload touches, with SQLite's storage class of each text column. */
    static Op dump() {
        return new Op("dump of every table", c -> query(c,
                "SELECT id, key, value, typeof(value), namespace, metadata, typeof(metadata), created_at, updated_at,"
                        + " accessed_at, access_count, ttl, expires_at FROM memory_entries ORDER BY id")
                + query(c, "SELECT id, entry_key, namespace, tag, note, typeof(note) FROM entry_tags ORDER BY id")
                + query(c, "SELECT id, key, namespace, value, typeof(value), metadata, archived_at FROM archive"
                        + " ORDER BY id"));
    }

    // ------------------------------------------------------------------ running and rendering

    static String query(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            CompressDb.bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                return render(result);
            }
        } catch (SQLException e) {
            return error(e);
        }
    }

    static String update(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            CompressDb.bind(statement, parameters);
            return "updated " + statement.executeUpdate() + "\n";
        } catch (SQLException e) {
            return error(e);
        }
    }

    static String error(SQLException e) {
        return "error " + e.getSQLState() + " " + e.getErrorCode() + " " + e.getMessage() + "\n";
    }

    static String render(ResultSet result) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        int columns = meta.getColumnCount();
        // Column labels are left out on purpose: a rewritten expression changes its label (see
        // SqlTransparencyTest#expressionColumnLabelsAreThoseOfTheStatementAsWritten); the count must match.
        StringBuilder text = new StringBuilder("[" + columns + " columns]\n");
        while (result.next()) {
            for (int i = 1; i <= columns; i++) {
                Object value = result.getObject(i);
                String asString = result.getString(i);
                text.append(i == 1 ? "" : " | ").append(describe(value));
                if (value != null && !(value instanceof String)) {
                    text.append(" (getString ").append(describe(asString)).append(')');
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** A value with its Java class; long ones shortened to length, head and a SHA-256 of the whole. */
    static String describe(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[] bytes) {
            return bytes.length <= 64 ? "blob:" + HexFormat.of().formatHex(bytes)
                    : "blob(" + bytes.length + "):" + HexFormat.of().formatHex(bytes, 0, 16) + "…#" + sha256(bytes);
        }
        if (value instanceof String text) {
            return text.length() <= 200 ? "text:" + text
                    : "text(" + text.length() + "):" + text.substring(0, 40) + "…#"
                            + sha256(text.getBytes(StandardCharsets.UTF_8));
        }
        return value.getClass().getSimpleName().toLowerCase() + ":" + value;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String summary(Object... parameters) {
        StringBuilder text = new StringBuilder("[");
        for (Object parameter : parameters) {
            text.append(text.length() == 1 ? "" : ", ");
            String described = describe(parameter);
            text.append(described.length() > 80 ? described.substring(0, 80) + "…" : described);
        }
        return text.append(']').toString();
    }
}
