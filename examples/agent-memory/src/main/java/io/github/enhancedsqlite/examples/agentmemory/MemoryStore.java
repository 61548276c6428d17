package io.github.enhancedsqlite.examples.agentmemory;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * An agent memory store on one SQLite file shared by many agent processes: entries keyed by namespace and key,
 * with a version, a checksum, an owner, an access level (see {@link AccessLevel}) and an optional expiry.
 *
 * <p>Every read-modify-write runs in one transaction through {@link EnhancedSqlite#inTransaction}, so two agents
 * never both update from the same version: the driver serialises writers and replays the unit if another process
 * kept the database busy. Every method takes the acting agent's name; an entry's owner is the agent that created
 * it. Expired entries are invisible at once and removed by {@link #cleanupExpired()}.
 */
public final class MemoryStore {

    /** Expected version meaning "whatever it is": an unconditional upsert. */
    public static final long ANY_VERSION = -1;
    /** Expected version meaning "it must not exist yet". */
    public static final long ABSENT = 0;

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS memory_entries ("
            + "id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "key TEXT NOT NULL, "
            + "value TEXT NOT NULL, "
            + "type TEXT NOT NULL, "
            + "namespace TEXT NOT NULL, "
            + "tags TEXT NOT NULL, "
            + "metadata TEXT NOT NULL, "
            + "owner TEXT NOT NULL, "
            + "access_level TEXT NOT NULL CHECK (access_level IN ('private', 'shared', 'public')), "
            + "created_at INTEGER NOT NULL, "
            + "updated_at INTEGER NOT NULL, "
            + "last_accessed_at INTEGER, "
            + "expires_at INTEGER, "
            + "version INTEGER NOT NULL CHECK (version >= 1), "
            + "size INTEGER NOT NULL, "
            + "compressed INTEGER NOT NULL DEFAULT 0, "
            + "checksum TEXT NOT NULL, "
            + "UNIQUE (namespace, key))",
        "CREATE INDEX IF NOT EXISTS memory_entries_expires ON memory_entries(expires_at) WHERE expires_at IS NOT NULL",
    };

    private static final String COLUMNS = "id, key, value, type, namespace, tags, metadata, owner, access_level, "
            + "created_at, updated_at, last_accessed_at, expires_at, version, size, compressed, checksum";
    /** What an agent may see: its own entries and everyone's shared and public ones, while they have not expired. */
    private static final String VISIBLE = "(owner = ? OR access_level <> 'private') "
            + "AND (expires_at IS NULL OR expires_at > ?)";

    private final DataSource dataSource;
    private final Clock clock;

    public MemoryStore(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** @param clock the store's idea of now: creation, update and access times, and expiry */
    public MemoryStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Creates {@code memory_entries} and its index where they do not exist yet. */
    public static void createSchema(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
        }
    }

    /** Creates the entry or updates it whatever its version; see {@link #store(String, MemoryWrite, long)}. */
    public MemoryEntry store(String agent, MemoryWrite write) throws SQLException {
        return store(agent, write, ANY_VERSION);
    }

    /**
     * Creates the entry (version 1, owned by {@code agent}) or updates it (version + 1; owner and creation time
     * kept; the TTL counts from now). An expired entry counts as absent and is replaced.
     *
     * @param expectedVersion the version this write replaces: {@link #ABSENT} to create only, {@link #ANY_VERSION}
     *                        to skip the check
     * @throws VersionConflictException the entry is at another version than expected
     * @throws AccessDeniedException    the entry belongs to another agent and its access level does not let
     *                                  {@code agent} update it, or {@code agent} tried to change its access level
     */
    public MemoryEntry store(String agent, MemoryWrite write, long expectedVersion) throws SQLException {
        MemoryWrite.requireText(agent, "agent");
        if (expectedVersion < ANY_VERSION) {
            throw new IllegalArgumentException("expectedVersion must be a version (1 or more), ABSENT (0) or "
                    + "ANY_VERSION (-1); got " + expectedVersion);
        }
        return EnhancedSqlite.inTransaction(dataSource, connection -> {
            long now = clock.millis();
            Current current = current(connection, write.namespace(), write.key());
            boolean live = current != null && (current.expiresAt == null || current.expiresAt > now);
            if (!live) {
                checkVersion(write, expectedVersion, ABSENT);
                if (current != null) {
                    deleteRow(connection, current.id);
                }
                long id = insert(connection, agent, write, now);
                return entry(id, write, agent, now, 1, now);
            }
            checkMayUpdate(agent, write, current);
            checkVersion(write, expectedVersion, current.version);
            long version = current.version + 1;
            update(connection, current.id, write, version, now);
            return entry(current.id, write, current.owner, current.createdAt, version, now);
        });
    }

    /**
     * The entry, if {@code agent} may see it and it has not expired; records the access time. Its value is checked
     * against its checksum first.
     *
     * @throws ChecksumMismatchException the stored value does not match its checksum
     */
    public Optional<MemoryEntry> retrieve(String agent, String namespace, String key) throws SQLException {
        MemoryWrite.requireText(agent, "agent");
        return EnhancedSqlite.inTransaction(dataSource, connection -> {
            long now = clock.millis();
            MemoryEntry found;
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM memory_entries WHERE namespace = ? AND key = ? AND " + VISIBLE)) {
                select.setString(1, namespace);
                select.setString(2, key);
                select.setString(3, agent);
                select.setLong(4, now);
                List<MemoryEntry> rows = read(select);
                if (rows.isEmpty()) {
                    return Optional.<MemoryEntry>empty();
                }
                found = rows.get(0);
            }
            try (PreparedStatement touch = connection.prepareStatement(
                    "UPDATE memory_entries SET last_accessed_at = ? WHERE id = ?")) {
                touch.setLong(1, now);
                touch.setLong(2, found.id());
                touch.executeUpdate();
            }
            return Optional.of(withLastAccess(found, now));
        });
    }

    /** Every entry of {@code namespace} that {@code agent} may see, by key; values checked against checksums. */
    public List<MemoryEntry> list(String agent, String namespace) throws SQLException {
        MemoryWrite.requireText(agent, "agent");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM memory_entries WHERE namespace = ? AND " + VISIBLE + " ORDER BY key")) {
            select.setString(1, namespace);
            select.setString(2, agent);
            select.setLong(3, clock.millis());
            return read(select);
        }
    }

    /**
     * The entries of {@code namespace} that {@code agent} may see whose key or value contains {@code text}
     * (SQLite's LIKE: ASCII letters match regardless of case; {@code %} and {@code _} in the text are literal).
     */
    public List<MemoryEntry> search(String agent, String namespace, String text) throws SQLException {
        MemoryWrite.requireText(agent, "agent");
        String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM memory_entries WHERE namespace = ? AND " + VISIBLE
                     + " AND (key LIKE ? ESCAPE '\\' OR value LIKE ? ESCAPE '\\') ORDER BY key")) {
            select.setString(1, namespace);
            select.setString(2, agent);
            select.setLong(3, clock.millis());
            select.setString(4, pattern);
            select.setString(5, pattern);
            return read(select);
        }
    }

    /**
     * Deletes the entry. Only its owner may; an entry {@code agent} cannot see (another's private one, an expired
     * one) counts as absent.
     *
     * @return whether an entry was deleted
     * @throws AccessDeniedException the entry is visible to {@code agent} but belongs to another agent
     */
    public boolean delete(String agent, String namespace, String key) throws SQLException {
        MemoryWrite.requireText(agent, "agent");
        return EnhancedSqlite.inTransaction(dataSource, connection -> {
            Current current = current(connection, namespace, key);
            long now = clock.millis();
            if (current == null || (current.expiresAt != null && current.expiresAt <= now)
                    || (!current.owner.equals(agent) && current.accessLevel == AccessLevel.PRIVATE)) {
                return false;
            }
            if (!current.owner.equals(agent)) {
                throw new AccessDeniedException("agent '" + agent + "' may not delete " + namespace + "/" + key
                        + ": only its owner '" + current.owner + "' may delete it");
            }
            deleteRow(connection, current.id);
            return true;
        });
    }

    /** Removes every expired entry, of every agent; returns how many. */
    public int cleanupExpired() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM memory_entries WHERE expires_at IS NOT NULL AND expires_at <= ?")) {
            delete.setLong(1, clock.millis());
            return delete.executeUpdate();
        }
    }

    /** The columns a write decides on, of the row holding namespace/key (expired or not), or null. */
    private record Current(long id, String owner, AccessLevel accessLevel, long version, long createdAt,
                           Long expiresAt) {
    }

    private static Current current(Connection connection, String namespace, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, owner, access_level, version, "
                + "created_at, expires_at FROM memory_entries WHERE namespace = ? AND key = ?")) {
            select.setString(1, namespace);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                long expiresAt = row.getLong(6);
                Long expiry = row.wasNull() ? null : expiresAt;
                return new Current(row.getLong(1), row.getString(2), AccessLevel.fromSqlName(row.getString(3)),
                        row.getLong(4), row.getLong(5), expiry);
            }
        }
    }

    private static void checkMayUpdate(String agent, MemoryWrite write, Current current) {
        if (current.owner.equals(agent)) {
            return;
        }
        String entry = write.namespace() + "/" + write.key();
        if (current.accessLevel != AccessLevel.SHARED) {
            throw new AccessDeniedException("agent '" + agent + "' may not update " + entry + ": it is "
                    + current.accessLevel.sqlName() + " to its owner '" + current.owner
                    + "' (other agents may update shared entries only)");
        }
        if (write.accessLevel() != current.accessLevel) {
            throw new AccessDeniedException("agent '" + agent + "' may not change the access level of " + entry
                    + " from shared to " + write.accessLevel().sqlName() + ": only its owner '" + current.owner
                    + "' may");
        }
    }

    private static void checkVersion(MemoryWrite write, long expected, long actual) {
        if (expected != ANY_VERSION && expected != actual) {
            throw new VersionConflictException(write.namespace(), write.key(), expected, actual);
        }
    }

    private long insert(Connection connection, String agent, MemoryWrite write, long now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO memory_entries (key, value, type, "
                + "namespace, tags, metadata, owner, access_level, created_at, updated_at, expires_at, version, size, "
                + "compressed, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 0, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, write.key());
            insert.setString(2, write.value());
            insert.setString(3, write.type());
            insert.setString(4, write.namespace());
            insert.setString(5, tagsJson(write.tags()));
            insert.setString(6, write.metadata());
            insert.setString(7, agent);
            insert.setString(8, write.accessLevel().sqlName());
            insert.setLong(9, now);
            insert.setLong(10, now);
            setExpiry(insert, 11, write, now);
            insert.setLong(12, utf8(write.value()).length);
            insert.setString(13, checksum(write.value()));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("INSERT into memory_entries returned no generated id");
                }
                return keys.getLong(1);
            }
        }
    }

    private void update(Connection connection, long id, MemoryWrite write, long version, long now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE memory_entries SET value = ?, type = ?, "
                + "tags = ?, metadata = ?, access_level = ?, updated_at = ?, expires_at = ?, version = ?, size = ?, "
                + "compressed = 0, checksum = ? WHERE id = ?")) {
            update.setString(1, write.value());
            update.setString(2, write.type());
            update.setString(3, tagsJson(write.tags()));
            update.setString(4, write.metadata());
            update.setString(5, write.accessLevel().sqlName());
            update.setLong(6, now);
            setExpiry(update, 7, write, now);
            update.setLong(8, version);
            update.setLong(9, utf8(write.value()).length);
            update.setString(10, checksum(write.value()));
            update.setLong(11, id);
            update.executeUpdate();
        }
    }

    private static void deleteRow(Connection connection, long id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM memory_entries WHERE id = ?")) {
            delete.setLong(1, id);
            delete.executeUpdate();
        }
    }

    private static void setExpiry(PreparedStatement statement, int index, MemoryWrite write, long now)
            throws SQLException {
        if (write.ttl() == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, now + write.ttl().toMillis());
        }
    }

    /** The entry as just written, without reading it back. */
    private static MemoryEntry entry(long id, MemoryWrite write, String owner, long createdAt, long version,
                                     long now) {
        Instant expiresAt = write.ttl() == null ? null : Instant.ofEpochMilli(now + write.ttl().toMillis());
        return new MemoryEntry(id, write.key(), write.value(), write.type(), write.namespace(), write.tags(),
                write.metadata(), owner, write.accessLevel(), Instant.ofEpochMilli(createdAt),
                Instant.ofEpochMilli(now), null, expiresAt, version, utf8(write.value()).length, false,
                checksum(write.value()));
    }

    private static MemoryEntry withLastAccess(MemoryEntry e, long now) {
        return new MemoryEntry(e.id(), e.key(), e.value(), e.type(), e.namespace(), e.tags(), e.metadata(),
                e.owner(), e.accessLevel(), e.createdAt(), e.updatedAt(), Instant.ofEpochMilli(now), e.expiresAt(),
                e.version(), e.size(), e.compressed(), e.checksum());
    }

    /** Reads the rows of a SELECT of {@link #COLUMNS}, each value checked against its checksum. */
    private static List<MemoryEntry> read(PreparedStatement select) throws SQLException {
        List<MemoryEntry> entries = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long id = row.getLong("id");
                String namespace = row.getString("namespace");
                String key = row.getString("key");
                String value = row.getString("value");
                String stored = row.getString("checksum");
                String computed = checksum(value);
                if (!computed.equals(stored)) {
                    throw new ChecksumMismatchException(id, namespace, key, stored, computed);
                }
                entries.add(new MemoryEntry(id, key, value, row.getString("type"), namespace,
                        tags(row.getString("tags")), row.getString("metadata"), row.getString("owner"),
                        AccessLevel.fromSqlName(row.getString("access_level")), instant(row, "created_at"),
                        instant(row, "updated_at"), instant(row, "last_accessed_at"), instant(row, "expires_at"),
                        row.getLong("version"), row.getLong("size"), row.getInt("compressed") != 0, stored));
            }
        }
        return entries;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** Tags hold only characters that need no JSON escaping (checked by {@link MemoryWrite}). */
    private static String tagsJson(List<String> tags) {
        StringBuilder json = new StringBuilder("[");
        for (String tag : tags) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(tag).append('"');
        }
        return json.append(']').toString();
    }

    private static List<String> tags(String json) {
        String inner = json.substring(1, json.length() - 1);
        if (inner.isEmpty()) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (String quoted : inner.split(",")) {
            tags.add(quoted.substring(1, quoted.length() - 1));
        }
        return List.copyOf(tags);
    }

    static String checksum(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8(value)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
