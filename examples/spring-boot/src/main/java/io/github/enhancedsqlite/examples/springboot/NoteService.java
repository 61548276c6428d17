package io.github.enhancedsqlite.examples.springboot;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The notes, through JPA and through JdbcTemplate. Both take part in the same Spring transaction (the JPA
 * transaction manager hands its connection to JdbcTemplate), which is how mixed applications are written.
 */
@Service
@Transactional
public class NoteService {

    private final NoteRepository repository;
    private final JdbcTemplate jdbc;

    public NoteService(NoteRepository repository, JdbcTemplate jdbc) {
        this.repository = repository;
        this.jdbc = jdbc;
    }

    public Note create(String title, String payload) {
        return repository.save(new Note(title, payload));
    }

    /** An INSERT through JdbcTemplate; the id comes back through JDBC's generated keys. */
    public long createWithJdbc(String title, String payload) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO note(title, payload) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS);
            insert.setString(1, title);
            insert.setString(2, payload);
            return insert;
        }, keys);
        return Objects.requireNonNull(keys.getKey(), "no generated key").longValue();
    }

    /** A JPA update: the managed entity is changed and flushed at commit. */
    public void rename(long id, String title) {
        repository.findById(id).orElseThrow(() -> new IllegalArgumentException("no note " + id)).setTitle(title);
    }

    public int replacePayloadWithJdbc(long id, String payload) {
        return jdbc.update("UPDATE note SET payload = ? WHERE id = ?", payload, id);
    }

    public void delete(long id) {
        repository.deleteById(id);
    }

    public int deleteWithJdbc(String titlePrefix) {
        return jdbc.update("DELETE FROM note WHERE title LIKE ?", titlePrefix + "%");
    }

    /** Writes, then fails: Spring rolls the whole transaction back, both writes included. */
    public void createTwoThenFail(String title, String payload) {
        repository.saveAndFlush(new Note(title, payload));
        createWithJdbc(title, payload);
        throw new IllegalStateException("failing on purpose after two inserts of '" + title + "'");
    }

    @Transactional(readOnly = true)
    public Optional<Note> find(long id) {
        return repository.findById(id);
    }

    @Transactional(readOnly = true)
    public List<Note> findByTitlePrefix(String prefix) {
        return repository.findByTitleStartingWithOrderById(prefix);
    }

    @Transactional(readOnly = true)
    public String payloadWithJdbc(long id) {
        return jdbc.queryForObject("SELECT payload FROM note WHERE id = ?", String.class, id);
    }

    /** Reads a payload through SQL that compares it, so the driver must decompress it inside SQLite. */
    @Transactional(readOnly = true)
    public List<Long> idsWithPayloadContaining(String text) {
        return jdbc.queryForList("SELECT id FROM note WHERE payload LIKE ? ORDER BY id", Long.class,
                "%" + text + "%");
    }

    @Transactional(readOnly = true)
    public long count() {
        return repository.count();
    }

    /** A write where only reads are allowed: the connection is read-only, so SQLite refuses it. */
    @Transactional(readOnly = true)
    public void createInReadOnlyTransaction(String title) {
        jdbc.update("INSERT INTO note(title) VALUES (?)", title);
    }

    @Transactional(readOnly = true)
    public boolean connectionIsReadOnly() {
        return Boolean.TRUE.equals(jdbc.execute((java.sql.Connection connection) -> connection.isReadOnly()));
    }
}
