package io.github.enhancedsqlite.examples.flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The application's use of the migrated schema, in plain JDBC over the same DataSource Flyway used. */
public final class Tasks {

    /** A stored task. */
    public record Task(long id, String project, String title, String details, boolean done) {
    }

    private static final String SELECT = "SELECT t.id, p.name, t.title, t.details, t.done "
            + "FROM tasks t JOIN projects p ON p.id = t.project_id ";

    private final DataSource dataSource;

    public Tasks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a task to a project, creating the project if needed, in one transaction; returns the task's id. */
    public long add(String project, String title, String details) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long projectId = projectId(c, project);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO tasks (project_id, title, details) VALUES (?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, projectId);
                    ps.setString(2, title);
                    ps.setString(3, details);
                    ps.executeUpdate();
                    long id = generatedKey(ps);
                    c.commit();
                    return id;
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public boolean complete(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE tasks SET done = 1 WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    public boolean delete(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM tasks WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<Task> find(long id) throws SQLException {
        List<Task> found = query(SELECT + "WHERE t.id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Open tasks of a project, in a read-only transaction. */
    public List<Task> open(String project) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            List<Task> tasks = query(c, SELECT + "WHERE p.name = ? AND t.done = 0 ORDER BY t.id", project);
            c.commit();
            return tasks;
        }
    }

    /** Tasks whose details contain {@code word}. */
    public List<Task> search(String word) throws SQLException {
        return query(SELECT + "WHERE t.details LIKE ? ORDER BY t.id", "%" + word + "%");
    }

    private List<Task> query(String sql, Object parameter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql, parameter);
        }
    }

    private static List<Task> query(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            List<Task> tasks = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new Task(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5)));
                }
            }
            return tasks;
        }
    }

    private static long projectId(Connection c, String name) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO projects (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long generatedKey(Statement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no generated key returned");
            }
            return keys.getLong(1);
        }
    }
}
