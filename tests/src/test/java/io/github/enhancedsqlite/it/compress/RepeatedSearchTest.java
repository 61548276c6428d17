package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection keeps the TEXT it decoded lately, so a search repeated over a column does not decompress every row
 * again: a row changed since — through this connection, another one, or with the same length — is read as it is
 * now, never as it was.
 */
class RepeatedSearchTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aRepeatedSearchSeesRowsAsTheyAreNow() throws Exception {
        Path file = dir.resolve("search.db");
        String search = "SELECT key FROM memory_entries WHERE value LIKE '%rollback plan%' ORDER BY key";
        try (Connection searching = CompressDb.open(file, "maximumPoolSize=2&minimumIdle=2");
             Connection writing = CompressDb.open(file, "maximumPoolSize=2&minimumIdle=2")) {
            CompressDb.execute(searching, CompressDb.MEMORY_SCHEMA);
            for (int i = 0; i < 40; i++) {
                CompressDb.update(searching, "INSERT INTO memory_entries (key, value) VALUES (?, ?)", "k" + i,
                        CompressDb.hookRecord(i).replace("the agent ran", i % 10 == 0 ? "rollback plan" : "the agent ran"));
            }
            assertThat(CompressDb.rows(searching, search)).containsExactly("text:k0", "text:k10", "text:k20", "text:k30");
            assertThat(CompressDb.rows(searching, search)).as("again, from what it decoded")
                    .containsExactly("text:k0", "text:k10", "text:k20", "text:k30");

            // same length, other words: the stored envelope changes, so the search must decode it again
            CompressDb.update(writing, "UPDATE memory_entries SET value = ? WHERE key = 'k10'",
                    CompressDb.hookRecord(10).replace("the agent ran", "rollback plXn"));
            CompressDb.update(writing, "UPDATE memory_entries SET value = ? WHERE key = 'k11'",
                    CompressDb.hookRecord(11).replace("the agent ran", "rollback plan"));
            CompressDb.update(searching, "UPDATE memory_entries SET value = ? WHERE key = 'k20'", "rollback plan");

            assertThat(CompressDb.rows(searching, search)).containsExactly("text:k0", "text:k11", "text:k20",
                    "text:k30");
            assertThat(CompressDb.queryString(searching, "SELECT value FROM memory_entries WHERE key = 'k10'"))
                    .isEqualTo(CompressDb.hookRecord(10).replace("the agent ran", "rollback plXn"));
        }
    }
}
