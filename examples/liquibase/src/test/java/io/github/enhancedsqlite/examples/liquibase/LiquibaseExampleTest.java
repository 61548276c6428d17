package io.github.enhancedsqlite.examples.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liquibase 4.33's command line updating a real file by URL alone (once for the class: Liquibase starts slowly), then
 * the application on the schema it made. Each test works on rows of its own agents, so the order does not matter.
 */
class LiquibaseExampleTest {

    private static final byte[] ENVELOPE_MAGIC = {(byte) 0xEC, 0x45, 0x53, 0x5A};

    @TempDir
    static Path dir;

    private static Path file;
    private static String url;
    private static EnhancedSqliteDataSource dataSource;
    private static Memories memories;

    @BeforeAll
    static void update() {
        file = dir.resolve("memory.db");
        url = "jdbc:enhanced-sqlite:" + file + "?compress=auto";
        assertThat(Changelog.update(url)).as("liquibase update exit code").isZero();
        dataSource = new EnhancedSqliteDataSource(url);
        memories = new Memories(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
        EnhancedSqlite.shutdown();
    }

    @Test
    void liquibaseGivenOnlyTheUrlAppliesEveryChangeSetOnceWithItsSqliteSupport() throws SQLException {
        assertThat(Changelog.update(url)).as("second update, nothing to apply").isZero();

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED");
             ResultSet rows = ps.executeQuery()) {
            List<String> applied = new java.util.ArrayList<>();
            while (rows.next()) {
                applied.add(rows.getString(1));
            }
            assertThat(applied).containsExactly("1-agents-and-memories", "2-first-agent-and-its-welcome",
                    "3-memories-by-topic");
        }
    }

    @Test
    void theBodyLiquibaseLoadedIsStoredCompressedAndReadsBackEqual() throws SQLException {
        // Change set 3's precondition already read it in SQL; here the application and the file's bytes.
        Memories.Memory welcome = memories.of("librarian").get(0);
        assertThat(welcome.topic()).isEqualTo("welcome");
        assertThat(welcome.body()).startsWith("{\"tone\":\"friendly\"").hasSizeGreaterThan(256);

        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = plain.prepareStatement("SELECT typeof(body), body FROM memories WHERE id = ?")) {
            ps.setLong(1, welcome.id());
            try (ResultSet row = ps.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("blob");
                byte[] stored = row.getBytes(2);
                assertThat(Arrays.copyOf(stored, 4)).isEqualTo(ENVELOPE_MAGIC);
                assertThat(stored.length).isLessThan(welcome.body().length());
            }
        }
    }

    @Test
    void insertsReturnGeneratedKeysAndUpdatesAndDeletesChangeOneRow() throws SQLException {
        long first = memories.remember("scout", "plan", "{\"step\":1}");
        long second = memories.remember("scout", "plan", "{\"step\":2}");
        assertThat(second).isGreaterThan(first);

        assertThat(memories.pin(first)).isTrue();
        assertThat(memories.find(first)).get().extracting(Memories.Memory::pinned).isEqualTo(true);
        assertThat(memories.forget(second)).isTrue();
        assertThat(memories.find(second)).isEmpty();
        assertThat(memories.of("scout")).extracting(Memories.Memory::id).containsExactly(first);
    }

    @Test
    void aFailedTransactionLeavesNoneOfItsRows() throws SQLException {
        assertThatThrownBy(() -> memories.rememberAllThenFail("ghost", List.of("a", "b", "c")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(memories.of("ghost")).isEmpty();
    }

    @Test
    void aReadOnlyTransactionReadsAndRefusesAWrite() throws SQLException {
        assertThat(memories.of("librarian")).hasSize(1);
        assertThatThrownBy(() -> memories.rememberReadOnly("librarian", "refused"))
                .isInstanceOf(SQLException.class).hasMessageContaining("readonly");

        assertThat(memories.of("librarian")).extracting(Memories.Memory::topic).containsExactly("welcome");
    }

    @Test
    void mainUpdatesOnceAndThenUsesTheSchema() throws Exception {
        Main.main(new String[] {dir.resolve("main").toString()});
        Main.main(new String[] {dir.resolve("main").toString()});

        try (EnhancedSqliteDataSource again =
                     new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + dir.resolve("main/memory.db") + "?compress=auto")) {
            assertThat(new Memories(again).of("librarian")).extracting(Memories.Memory::topic)
                    .containsExactly("welcome", "run", "run");
        }
    }
}
