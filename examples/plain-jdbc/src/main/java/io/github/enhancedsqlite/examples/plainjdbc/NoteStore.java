package io.github.enhancedsqlite.examples.plainjdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An application's data access written the way most SQLite apps are: a JDBC URL, a connection from
 * {@link DriverManager} per operation, closed right after. Nothing here knows which driver is behind the URL; the
 * example runs this same class with {@code jdbc:sqlite:} (before) and {@code jdbc:enhanced-sqlite:} (after).
 */
public final class NoteStore {

    /** A stored note. */
    public record Note(long id, String title, String body) {
    }

    /** A note not stored yet. */
    public record Draft(String title, String body) {
    }

    /** Figures read together in one read-only transaction, so they describe one state of the file. */
    public record Summary(long notes, long bodyCharacters) {
    }

    private static final String INSERT = "INSERT INTO notes(title, body) VALUES (?, ?)";

    private final String url;

    public NoteStore(String url) {
        this.url = url;
    }

    public void createSchema() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS notes ("
                    + "id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, body TEXT)");
        }
    }

    /** Inserts one note and returns the id SQLite generated for it. */
    public long add(String title, String body) throws SQLException {
        try (Connection c = connect()) {
            return insert(c, new Draft(title, body));
        }
    }

    /** Inserts all notes in one transaction: either every one is stored or, on any failure, none. */
    public List<Long> addAll(List<Draft> drafts) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                for (Draft draft : drafts) {
                    ids.add(insert(c, draft));
                }
                c.commit();
                return ids;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public boolean rename(long id, String title) throws SQLException {
        return update("UPDATE notes SET title = ? WHERE id = ?", title, id);
    }

    public boolean replaceBody(long id, String body) throws SQLException {
        return update("UPDATE notes SET body = ? WHERE id = ?", body, id);
    }

    public boolean delete(long id) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("DELETE FROM notes WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<Note> find(long id) throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT id, title, body FROM notes WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(note(rs)) : Optional.empty();
            }
        }
    }

    /** Notes whose body contains {@code word}, oldest first. */
    public List<Note> search(String word) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, title, body FROM notes WHERE body LIKE ? ORDER BY id")) {
            ps.setString(1, "%" + word + "%");
            List<Note> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(note(rs));
                }
            }
            return found;
        }
    }

    /**
     * Counts in a read-only transaction. Plain sqlite-jdbc refuses {@code setReadOnly} on an open connection (its
     * read-only flag can only be set before opening); the enhanced driver applies it to the live connection.
     */
    public Summary summary() throws SQLException {
        try (Connection c = connect()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(length(body)), 0) FROM notes")) {
                rs.next();
                Summary summary = new Summary(rs.getLong(1), rs.getLong(2));
                c.commit();
                return summary;
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private boolean update(String sql, String value, long id) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static long insert(Connection c, Draft draft) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, draft.title());
            ps.setString(2, draft.body());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key returned for " + draft.title());
                }
                return keys.getLong(1);
            }
        }
    }

    private static Note note(ResultSet rs) throws SQLException {
        return new Note(rs.getLong("id"), rs.getString("title"), rs.getString("body"));
    }
}
