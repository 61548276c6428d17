package io.github.enhancedsqlite.examples.plainjdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.examples.plainjdbc.NoteStore.Draft;
import io.github.enhancedsqlite.examples.plainjdbc.NoteStore.Note;
import io.github.enhancedsqlite.examples.plainjdbc.NoteStore.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same {@link NoteStore} code on both URLs: everything an app relies on behaves the same; what the URL swap
 * adds (a read-only transaction on a live connection, compressed storage) is shown on the enhanced side.
 */
class NoteStoreTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    private String url(String prefix) {
        String file = dir.resolve("notes.db").toString();
        // Compression is opt-in today: the enhanced side turns it on the way the README says.
        return prefix.equals("jdbc:enhanced-sqlite:") ? prefix + file + "?compress=auto" : prefix + file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite:", "jdbc:enhanced-sqlite:"})
    void insertsWithGeneratedKeysUpdatesDeletesAndQueriesAlikeOnBothUrls(String prefix) throws SQLException {
        NoteStore store = new NoteStore(url(prefix));
        store.createSchema();
        String body = SampleDocument.json(60);

        long first = store.add("first", body);
        long second = store.add("second", "short");
        assertThat(second).isEqualTo(first + 1);

        assertThat(store.rename(first, "renamed")).isTrue();
        assertThat(store.replaceBody(second, "short, edited")).isTrue();
        assertThat(store.find(first)).contains(new Note(first, "renamed", body));
        assertThat(store.find(second)).contains(new Note(second, "second", "short, edited"));
        assertThat(store.search("reformatted imports")).extracting(Note::id).containsExactly(first);
        assertThat(store.search("edited")).extracting(Note::id).containsExactly(second);

        assertThat(store.delete(second)).isTrue();
        assertThat(store.delete(second)).isFalse();
        assertThat(store.find(second)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite:", "jdbc:enhanced-sqlite:"})
    void failedTransactionLeavesNoneOfItsRowsOnBothUrls(String prefix) throws SQLException {
        NoteStore store = new NoteStore(url(prefix));
        store.createSchema();
        long kept = store.add("kept", "before the transaction");

        // The third draft breaks title NOT NULL after two good inserts ran in the same transaction.
        assertThatThrownBy(() -> store.addAll(List.of(new Draft("a", SampleDocument.json(40)),
                new Draft("b", "two"), new Draft(null, "no title"))))
                .isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");

        assertThat(store.search("")).extracting(Note::id).containsExactly(kept);
        List<Long> ids = store.addAll(List.of(new Draft("a", "one"), new Draft("b", "two")));
        assertThat(ids).hasSize(2).doesNotContain(kept);
        assertThat(store.search("")).hasSize(3);
    }

    @Test
    void readOnlyTransactionWorksAfterTheSwapAndRefusesWrites() throws SQLException {
        NoteStore plain = new NoteStore(url("jdbc:sqlite:"));
        plain.createSchema();
        plain.add("one", SampleDocument.json(10));
        // Before: sqlite-jdbc can only open a connection read-only, not switch one.
        assertThatThrownBy(plain::summary).isInstanceOf(SQLException.class)
                .hasMessageContaining("Cannot change read-only flag");

        NoteStore enhanced = new NoteStore(url("jdbc:enhanced-sqlite:"));
        String body = SampleDocument.json(10);
        enhanced.add("two", body);
        assertThat(enhanced.summary()).isEqualTo(new Summary(2, 2L * body.length()));

        try (Connection c = DriverManager.getConnection(url("jdbc:enhanced-sqlite:"))) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO notes(title, body) VALUES ('x', 'y')"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("readonly");
            }
            c.rollback();
        }
        assertThat(enhanced.summary().notes()).isEqualTo(2);
    }

    @Test
    void largeBodyIsStoredCompressedAfterTheSwapAndReadsBackEqual() throws SQLException {
        String body = SampleDocument.json(60);
        assertThat(body.length()).isGreaterThan(4000);

        NoteStore plain = new NoteStore(url("jdbc:sqlite:"));
        plain.createSchema();
        long before = plain.add("plain", body);
        StoredForm plainForm = StoredForm.of(dir.resolve("notes.db").toString(), before);
        assertThat(plainForm.storageClass()).isEqualTo("text");
        assertThat(plainForm.bytes()).hasSize(body.length());

        NoteStore enhanced = new NoteStore(url("jdbc:enhanced-sqlite:"));
        long after = enhanced.add("enhanced", body);
        assertThat(enhanced.find(after).orElseThrow().body()).isEqualTo(body);
        assertThat(enhanced.search("\"seq\":59,")).extracting(Note::id).containsExactly(before, after);

        StoredForm stored = StoredForm.of(dir.resolve("notes.db").toString(), after);
        assertThat(stored.compressed()).as("stored form %s", stored.storageClass()).isTrue();
        assertThat(Arrays.copyOf(stored.bytes(), 4)).containsExactly(0xEC, 0x45, 0x53, 0x5A);
        assertThat(stored.bytes().length).isLessThan(body.length() / 4);
    }

    @Test
    void mainRunsBothSidesAndReportsTheDifference() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Main.run("jdbc:sqlite:" + dir.resolve("before.db"), dir.resolve("before.db"), print);
        Main.run("jdbc:enhanced-sqlite:" + dir.resolve("after.db") + "?compress=auto", dir.resolve("after.db"), print);

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("found again by LIKE: true", "body stored as text of",
                "(zstd envelope)", "read-only summary failed: Cannot change read-only flag",
                "read-only summary: Summary[notes=3,");
    }
}
