package io.github.enhancedsqlite.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application as it ships (its application.properties), started by Spring Boot on a real database file, with
 * compression on. Each test works on rows of its own (titles carry the test's name), so the order does not matter.
 */
class NotesApplicationTest {

    private static final byte[] ENVELOPE_MAGIC = {(byte) 0xEC, 0x45, 0x53, 0x5A};

    @TempDir
    static Path dir;

    static Path file;
    static ConfigurableApplicationContext context;
    static NoteService notes;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        file = dir.resolve("notes.db");
        context = SpringApplication.run(NotesApplication.class, "--notes.database=" + file);
        notes = context.getBean(NoteService.class);
        jdbc = context.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        EnhancedSqlite.shutdown();
    }

    @Test
    void theDataSourceIsTheDriversOwnAndBootBuiltNoPoolInFrontOfIt() throws Exception {
        DataSource dataSource = context.getBean(DataSource.class);
        assertThat(dataSource).isInstanceOf(EnhancedSqliteDataSource.class);
        assertThat(((EnhancedSqliteDataSource) dataSource).getUrl())
                .isEqualTo("jdbc:enhanced-sqlite:" + file);
        assertThat(((EnhancedSqliteDataSource) dataSource).getProperty("compress")).isEqualTo("auto");
        assertThat(context.getBeansOfType(DataSource.class)).hasSize(1);
        assertThat(context.getBeansOfType(HikariDataSource.class)).isEmpty();
        // Every HikariCP pool runs a housekeeper thread named after the pool: Boot's would be HikariPool-1's. The
        // driver's own pool starts HikariCP (and its housekeeper) only once two connections are wanted at once.
        assertThat(housekeeperThreads()).allMatch("enhanced-sqlite notes.db:housekeeper"::equals);
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(file.toRealPath().toString());
    }

    @Test
    void hibernateDetectsTheSqliteDialectFromTheDriversMetadata() {
        SessionFactoryImplementor sessionFactory =
                context.getBean(EntityManagerFactory.class).unwrap(SessionFactoryImplementor.class);
        assertThat(sessionFactory.getJdbcServices().getDialect()).isInstanceOf(SQLiteDialect.class);
    }

    @Test
    void insertsThroughJpaAndJdbcTemplateReturnGeneratedKeys() {
        Note first = notes.create("keys jpa", json("a", 10));
        long second = notes.createWithJdbc("keys jdbc", json("b", 10));
        Note third = notes.create("keys jpa", json("c", 10));

        assertThat(first.getId()).isPositive();
        assertThat(second).isGreaterThan(first.getId());
        assertThat(third.getId()).isGreaterThan(second);
        assertThat(notes.find(second)).get().extracting(Note::getTitle).isEqualTo("keys jdbc");
        assertThat(jdbc.queryForObject("SELECT title FROM note WHERE id = ?", String.class, first.getId()))
                .isEqualTo("keys jpa");
    }

    @Test
    void updatesThroughJpaAndJdbcTemplate() {
        Note note = notes.create("update before", json("u", 10));
        notes.rename(note.getId(), "update after");
        assertThat(notes.replacePayloadWithJdbc(note.getId(), json("v", 20))).isEqualTo(1);

        Note reread = notes.find(note.getId()).orElseThrow();
        assertThat(reread.getTitle()).isEqualTo("update after");
        assertThat(reread.getPayload()).isEqualTo(json("v", 20));
    }

    @Test
    void deletesThroughJpaAndJdbcTemplate() {
        Note byJpa = notes.create("delete me 1", "{}");
        long byJdbc = notes.createWithJdbc("delete me 2", "{}");
        long kept = notes.createWithJdbc("delete kept", "{}");

        notes.delete(byJpa.getId());
        assertThat(notes.find(byJpa.getId())).isEmpty();
        assertThat(notes.deleteWithJdbc("delete me")).isEqualTo(1);
        assertThat(notes.find(byJdbc)).isEmpty();
        assertThat(notes.findByTitlePrefix("delete")).extracting(Note::getId).containsExactly(kept);
    }

    @Test
    void aFailingTransactionRollsBackEveryWriteInIt() {
        long before = notes.count();
        assertThatThrownBy(() -> notes.createTwoThenFail("rolled back", json("r", 10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failing on purpose");

        assertThat(notes.count()).isEqualTo(before);
        assertThat(notes.findByTitlePrefix("rolled back")).isEmpty();
    }

    @Test
    void aReadOnlyTransactionRunsOnAReadOnlyConnectionThatRefusesWrites() {
        notes.create("read-only visible", "{}");
        long before = notes.count();

        assertThat(notes.connectionIsReadOnly()).isTrue();
        assertThat(notes.findByTitlePrefix("read-only")).extracting(Note::getTitle).containsExactly("read-only visible");
        assertThatThrownBy(() -> notes.createInReadOnlyTransaction("read-only refused"))
                .isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("readonly");

        assertThat(notes.count()).isEqualTo(before);
        assertThat(notes.findByTitlePrefix("read-only refused")).isEmpty();
        // The connection went back to the pool writable: the next read-write transaction writes.
        assertThat(notes.createWithJdbc("read-only after", "{}")).isPositive();
    }

    @Test
    void aLargeJsonPayloadIsStoredCompressedAndReadsBackEqualThroughJpaAndJdbcTemplate() throws SQLException {
        String payload = json("compressed", 40);
        assertThat(payload.length()).isGreaterThanOrEqualTo(256);
        Note byJpa = notes.create("compressed jpa", payload);
        long byJdbc = notes.createWithJdbc("compressed jdbc", payload);

        assertThat(notes.find(byJpa.getId())).get().extracting(Note::getPayload).isEqualTo(payload);
        assertThat(notes.find(byJdbc)).get().extracting(Note::getPayload).isEqualTo(payload);
        assertThat(notes.payloadWithJdbc(byJpa.getId())).isEqualTo(payload);
        assertThat(notes.payloadWithJdbc(byJdbc)).isEqualTo(payload);
        assertThat(notes.idsWithPayloadContaining("compressed-39")).containsExactly(byJpa.getId(), byJdbc);

        // Plain sqlite-jdbc, beside the running application, sees what is really in the file.
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (long id : List.of(byJpa.getId(), byJdbc)) {
                byte[] stored = storedPayload(plain, id);
                assertThat(Arrays.copyOf(stored, 4)).as("stored bytes of note %d", id).isEqualTo(ENVELOPE_MAGIC);
                assertThat(stored.length).isLessThan(payload.length());
            }
            try (PreparedStatement columns = plain.prepareStatement("SELECT * FROM _enhanced_sqlite_columns");
                 ResultSet rows = columns.executeQuery()) {
                List<String> recorded = new ArrayList<>();
                while (rows.next()) {
                    recorded.add(rows.getString(1) + "." + rows.getString(2));
                }
                assertThat(recorded).contains("note.payload").doesNotContain("note.title");
            }
        }
    }

    @Test
    void closingTheApplicationClosesTheDriversPoolAndLeavesNoWal() throws Exception {
        Path other = dir.resolve("closed.db");
        ConfigurableApplicationContext second =
                SpringApplication.run(NotesApplication.class, "--notes.database=" + other);
        second.getBean(NoteService.class).create("closed", json("x", 20));
        assertThat(EnhancedSqlite.openDatabases()).contains(other.toRealPath().toString());

        second.close();

        assertThat(EnhancedSqlite.openDatabases()).doesNotContain(other.toRealPath().toString());
        assertThat(Files.exists(Path.of(other + "-wal"))).isFalse();
        assertThat(Files.exists(Path.of(other + "-shm"))).isFalse();
    }

    private static byte[] storedPayload(Connection plain, long id) throws SQLException {
        try (PreparedStatement read = plain.prepareStatement("SELECT typeof(payload), payload FROM note WHERE id = ?")) {
            read.setLong(1, id);
            try (ResultSet row = read.executeQuery()) {
                assertThat(row.next()).as("note %d exists", id).isTrue();
                assertThat(row.getString(1)).as("stored type of note %d", id).isEqualTo("blob");
                return row.getBytes(2);
            }
        }
    }

    /** A JSON document of {@code fields} entries, like the ones agents and web apps store. */
    private static String json(String prefix, int fields) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("\"field").append(i).append("\":\"").append(prefix).append('-').append(i).append('"');
        }
        return json.append('}').toString();
    }

    private static List<String> housekeeperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.endsWith(":housekeeper"))
                .sorted()
                .toList();
    }
}
