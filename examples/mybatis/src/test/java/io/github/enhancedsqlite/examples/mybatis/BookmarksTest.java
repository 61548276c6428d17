package io.github.enhancedsqlite.examples.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MyBatis 3.5 mapped statements over the driver's DataSource, on a real file with compress=auto. */
class BookmarksTest {

    @TempDir
    Path dir;

    private EnhancedSqliteDataSource dataSource;
    private Bookmarks bookmarks;

    @BeforeEach
    void open() {
        dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + dir.resolve("bookmarks.db") + "?compress=auto");
        bookmarks = new Bookmarks(dataSource);
        bookmarks.createSchema();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void insertsSetGeneratedIdsAndUpdatesDeletesAndQueriesWork() {
        Bookmark first = new Bookmark("https://a.example", "A", "alpha page");
        long firstId = bookmarks.add(first);
        long secondId = bookmarks.add(new Bookmark("https://b.example", "B", "beta page"));
        assertThat(first.getId()).isEqualTo(firstId);
        assertThat(secondId).isEqualTo(firstId + 1);

        assertThat(bookmarks.visit(firstId)).isTrue();
        assertThat(bookmarks.visit(firstId)).isTrue();
        assertThat(bookmarks.resave(secondId, "beta page, saved again")).isTrue();
        Bookmark stored = bookmarks.find(firstId);
        assertThat(stored.getVisits()).isEqualTo(2);
        assertThat(stored.getSnapshot()).isEqualTo("alpha page");
        assertThat(bookmarks.search("again")).extracting(Bookmark::getId).containsExactly(secondId);

        assertThat(bookmarks.delete(secondId)).isTrue();
        assertThat(bookmarks.delete(secondId)).isFalse();
        assertThat(bookmarks.find(secondId)).isNull();
        assertThat(bookmarks.search("page")).extracting(Bookmark::getUrl).containsExactly("https://a.example");
    }

    @Test
    void failedTransactionLeavesNoneOfItsRows() {
        long kept = bookmarks.add(new Bookmark("https://kept.example", "kept", "before"));

        // The third insert repeats a URL (UNIQUE) after two inserts ran inside the same transaction.
        assertThatThrownBy(() -> bookmarks.addAll(List.of(
                new Bookmark("https://new.example", "new", SampleDocument.json(30)),
                new Bookmark("https://other.example", "other", "x"),
                new Bookmark("https://kept.example", "duplicate", "y"))))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("UNIQUE");

        assertThat(bookmarks.search("")).extracting(Bookmark::getId).containsExactly(kept);
        assertThat(bookmarks.addAll(List.of(new Bookmark("https://new.example", "new", "x")))).hasSize(1);
    }

    @Test
    void readOnlyTransactionReadsAndRefusesAWrite() throws SQLException {
        bookmarks.add(new Bookmark("https://a.example", "A", "a"));
        bookmarks.add(new Bookmark("https://b.example", "B", "b"));

        assertThat(bookmarks.readOnly(BookmarkMapper::count)).isEqualTo(2);
        assertThatThrownBy(() -> bookmarks.readOnly(mapper -> mapper.insert(new Bookmark("https://c.example", "C", "c"))))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("readonly");

        // The pooled connection came back writable.
        bookmarks.add(new Bookmark("https://d.example", "D", "d"));
        assertThat(bookmarks.readOnly(BookmarkMapper::count)).isEqualTo(3);
    }

    @Test
    void longSnapshotIsStoredCompressedAndReadsBackEqualThroughMyBatis() throws SQLException {
        String page = SampleDocument.json(60);
        long id = bookmarks.add(new Bookmark("https://log.example", "log", page));
        bookmarks.add(new Bookmark("https://short.example", "short", "tiny"));

        assertThat(bookmarks.find(id).getSnapshot()).isEqualTo(page);
        assertThat(bookmarks.search("\"seq\":59,")).extracting(Bookmark::getId).containsExactly(id);
        assertThat(bookmarks.resave(id, page + "!")).isTrue();
        assertThat(bookmarks.find(id).getSnapshot()).isEqualTo(page + "!");

        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bookmarks.db"));
             PreparedStatement ps = plain.prepareStatement("SELECT typeof(snapshot), snapshot FROM bookmarks WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("blob");
                byte[] stored = rs.getBytes(2);
                assertThat(Arrays.copyOf(stored, 4)).containsExactly(0xEC, 0x45, 0x53, 0x5A);
                assertThat(stored.length).isLessThan(page.length() / 4);
            }
        }
    }

    @Test
    void mainRunsAgainstAFile() throws Exception {
        Main.main(new String[] {dir.resolve("main").toString()});
        try (EnhancedSqliteDataSource again = new EnhancedSqliteDataSource(
                "jdbc:enhanced-sqlite:" + dir.resolve("main/bookmarks.db") + "?compress=auto")) {
            List<Bookmark> stored = new Bookmarks(again).search("reformatted");
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0).getVisits()).isEqualTo(1);
            assertThat(stored.get(0).getSnapshot()).isEqualTo(SampleDocument.json(60));
        }
    }
}
