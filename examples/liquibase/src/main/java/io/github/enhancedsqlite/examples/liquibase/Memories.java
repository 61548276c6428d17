package io.github.enhancedsqlite.examples.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The application's use of the schema Liquibase made, in plain JDBC through the driver. */
public final class Memories {

    /** A stored memory. */
    public record Memory(long id, String agent, String topic, String body, boolean pinned) {
    }

    private static final String SELECT = "SELECT m.id, a.name, m.topic, m.body, m.pinned "
            + "FROM memories m JOIN agents a ON a.id = m.agent_id ";

    private final DataSource dataSource;

    public Memories(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a memory for an agent, creating the agent if needed, in one transaction; returns the memory's id. */
    public long remember(String agent, String topic, String body) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = insert(c, agentId(c, agent), topic, body);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Writes every memory, then fails before committing: none of them is kept. */
    public void rememberAllThenFail(String agent, List<String> topics) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long agentId = agentId(c, agent);
                for (String topic : topics) {
                    insert(c, agentId, topic, "{}");
                }
                throw new IllegalStateException("failing on purpose after " + topics.size() + " inserts");
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public boolean pin(long id) throws SQLException {
        return update("UPDATE memories SET pinned = 1 WHERE id = ?", id);
    }

    public boolean forget(long id) throws SQLException {
        return update("DELETE FROM memories WHERE id = ?", id);
    }

    public Optional<Memory> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Memory> found = query(c, SELECT + "WHERE m.id = ?", id);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** An agent's memories, in a read-only transaction. */
    public List<Memory> of(String agent) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            List<Memory> memories = query(c, SELECT + "WHERE a.name = ? ORDER BY m.id", agent);
            c.commit();
            return memories;
        }
    }

    /** A write attempted in a read-only transaction: SQLite refuses it. */
    public void rememberReadOnly(String agent, String topic) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try {
                insert(c, agentId(c, agent), topic, "{}");
                c.commit();
            } finally {
                c.rollback();
            }
        }
    }

    private boolean update(String sql, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static long insert(Connection c, long agentId, String topic, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO memories (agent_id, topic, body) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, agentId);
            ps.setString(2, topic);
            ps.setString(3, body);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static long agentId(Connection c, String agent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agents (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, agent);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM agents WHERE name = ?")) {
            ps.setString(1, agent);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Memory> query(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                List<Memory> memories = new ArrayList<>();
                while (rs.next()) {
                    memories.add(new Memory(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5) == 1));
                }
                return memories;
            }
        }
    }
}
