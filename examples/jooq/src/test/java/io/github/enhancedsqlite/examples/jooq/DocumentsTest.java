package io.github.enhancedsqlite.examples.jooq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.examples.jooq.Documents.Document;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jOOQ 3.19 with SQLDialect.SQLITE over the driver's DataSource, on a real file with compress=auto. */
class DocumentsTest {

    @TempDir
    Path dir;

    private EnhancedSqliteDataSource dataSource;
    private Documents documents;

    @BeforeEach
    void open() {
        dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + dir.resolve("documents.db") + "?compress=auto");
        documents = new Documents(dataSource);
        documents.createSchema();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void insertsReturnGeneratedIdsAndUpdatesDeletesAndQueriesWork() {
        long first = documents.add("first", "alpha");
        long second = documents.add("second", "beta");
        assertThat(second).isEqualTo(first + 1);

        assertThat(documents.revise(first, "alpha, revised")).isTrue();
        assertThat(documents.find(first)).contains(new Document(first, "first", "alpha, revised", 1));
        assertThat(documents.search("revised")).extracting(Document::id).containsExactly(first);

        assertThat(documents.delete(second)).isTrue();
        assertThat(documents.delete(second)).isFalse();
        assertThat(documents.find(second)).isEmpty();
        assertThat(documents.search("")).extracting(Document::name).containsExactly("first");
    }

    @Test
    void failedTransactionLeavesNoneOfItsRows() {
        long kept = documents.add("kept", "before");

        // The third insert breaks name NOT NULL after two inserts ran inside the same transaction.
        assertThatThrownBy(() -> documents.addAll(List.of(new String[] {"a", SampleDocument.json(30)},
                new String[] {"b", "two"}, new String[] {null, "no name"})))
                .isInstanceOf(IntegrityConstraintViolationException.class).hasMessageContaining("NOT NULL");

        assertThat(documents.search("")).extracting(Document::id).containsExactly(kept);
        assertThat(documents.addAll(List.<String[]>of(new String[] {"a", "one"}, new String[] {"b", "two"})))
                .hasSize(2);
        assertThat(documents.search("")).hasSize(3);
    }

    @Test
    void readOnlyTransactionReadsAndRefusesAWrite() throws SQLException {
        String content = SampleDocument.json(10);
        documents.add("one", content);
        documents.add("two", "x");

        assertThat(documents.summary()).containsExactly(2, content.length() + 1);
        assertThatThrownBy(() -> documents.readOnly(tx -> tx.dsl()
                .insertInto(Documents.DOCUMENTS, Documents.NAME).values("three").execute()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("readonly");

        // The pooled connection came back writable.
        documents.add("three", "y");
        assertThat(documents.search("")).hasSize(3);
    }

    @Test
    void longContentIsStoredCompressedAndReadsBackEqualThroughJooq() throws SQLException {
        String content = SampleDocument.json(60);
        long id = documents.add("log", content);
        documents.add("other", SampleDocument.json(30));

        assertThat(documents.find(id).orElseThrow().content()).isEqualTo(content);
        // WHERE content LIKE ... reads the column in SQL: the driver decompresses it there.
        assertThat(documents.search("\"seq\":59,")).extracting(Document::id).containsExactly(id);
        assertThat(documents.revise(id, content + " ")).isTrue();
        assertThat(documents.find(id).orElseThrow().content()).isEqualTo(content + " ");

        // What the file holds, read with plain sqlite-jdbc: the column is recorded as compressed, and the value
        // is the driver's zstd envelope, much smaller than the text.
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("documents.db"))) {
            try (ResultSet rs = plain.createStatement().executeQuery(
                    "SELECT table_name, column_name FROM _enhanced_sqlite_columns")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + "." + rs.getString(2)).isEqualTo("documents.content");
                assertThat(rs.next()).isFalse();
            }
            try (PreparedStatement ps = plain.prepareStatement("SELECT content FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    byte[] stored = rs.getBytes(1);
                    assertThat(Arrays.copyOf(stored, 4)).containsExactly(0xEC, 0x45, 0x53, 0x5A);
                    assertThat(stored.length).isLessThan(content.length() / 4);
                }
            }
        }
    }

    @Test
    void mainRunsAgainstAFile() throws Exception {
        Main.main(new String[] {dir.resolve("main").toString()});
        try (EnhancedSqliteDataSource again = new EnhancedSqliteDataSource(
                "jdbc:enhanced-sqlite:" + dir.resolve("main/documents.db") + "?compress=auto")) {
            List<Document> stored = new Documents(again).search("");
            assertThat(stored).extracting(Document::name, Document::revision)
                    .containsExactly(tuple("session log", 1),
                            tuple("note", 0));
            assertThat(stored.get(0).content()).isEqualTo(SampleDocument.json(61));
        }
    }
}
