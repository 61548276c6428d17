package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM keeps what it read of a table by the table's SQL and its indexes' SQL, so files created with one schema are
 * read in full once. What else decides a column (an index on it, a view over its table) must still be seen on each
 * file: the same table beside an index or a view keeps its values plain there, and compressed where they are not.
 */
class SchemaShapesTest {

    private static final String TABLE = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void theSameTableIsJudgedWithTheIndexesAndViewsOfEachFile() throws Exception {
        assertThat(storedBody("first.db")).as("nothing but the table").isEqualTo("blob");
        assertThat(storedBody("indexed.db", "CREATE INDEX notes_body ON notes (body)"))
                .as("an index on the column reads its stored bytes").isEqualTo("text");
        assertThat(storedBody("viewed.db", "CREATE VIEW bodies AS SELECT body FROM notes"))
                .as("a view over the table reads its stored bytes").isEqualTo("text");
        assertThat(storedBody("triggered.db", "CREATE TABLE log (body TEXT)",
                "CREATE TRIGGER copy AFTER INSERT ON notes BEGIN INSERT INTO log VALUES (new.body); END"))
                .as("a trigger on the table reads the new row").isEqualTo("text");
        assertThat(storedBody("indexedOnId.db", "CREATE INDEX notes_id ON notes (id)"))
                .as("an index on another column").isEqualTo("blob");
        assertThat(storedBody("again.db")).as("the table alone again").isEqualTo("blob");
    }

    /** Creates the file with the table and {@code more}, writes a compressible value, and reads how it is stored. */
    private String storedBody(String name, String... more) throws Exception {
        Path file = dir.resolve(name);
        String value = CompressDb.hookRecord(7);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.execute(connection, TABLE);
            CompressDb.execute(connection, more);
            CompressDb.update(connection, "INSERT INTO notes (id, body) VALUES (?, ?)", 1, value);
            assertThat(CompressDb.queryString(connection, "SELECT body FROM notes WHERE id = 1")).isEqualTo(value);
        }
        return CompressDb.storedType(file, "notes", "body", "id = 1");
    }
}
