package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record of compressed columns (_enhanced_sqlite_columns) as the running pool trusts it. Catalog.record only
 * marks a column as committed after an auto-commit write; writes in a transaction, and every executeBatch
 * (always run as one transaction), never do. Until the pool restarts, Compression then believes the database
 * holds no compressed values: statements JSqlParser cannot parse run unchanged, and DDL that makes the column
 * non-compressible (an index, view or trigger) is allowed — after which the column's envelopes are no longer
 * decoded at all.
 */
class CatalogTest {

    static final String SETTINGS = "compressThreshold=32";

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /** Five compressed values, written the way the parameter says, none in auto-commit mode. */
    private Path written(Connection connection, String how) throws SQLException {
        Path file = dir.resolve("memory.db");
        CompressDb.execute(connection, "CREATE TABLE memory_entries (id INTEGER PRIMARY KEY, key TEXT, value TEXT)");
        String insert = "INSERT INTO memory_entries (key, value) VALUES (?, ?)";
        if (how.equals("transaction")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < 5; i++) {
                CompressDb.update(connection, insert, "k" + i, CompressDb.hookRecord(i));
            }
            connection.commit();
            connection.setAutoCommit(true);
        } else if (how.equals("transaction committed by SQL")) {
            CompressDb.execute(connection, "BEGIN");
            for (int i = 0; i < 5; i++) {
                CompressDb.update(connection, insert, "k" + i, CompressDb.hookRecord(i));
            }
            CompressDb.execute(connection, "COMMIT");
        } else {
            try (PreparedStatement batch = connection.prepareStatement(insert)) {
                for (int i = 0; i < 5; i++) {
                    batch.setString(1, "k" + i);
                    batch.setString(2, CompressDb.hookRecord(i));
                    batch.addBatch();
                }
                batch.executeBatch();
            }
        }
        assertThat(CompressDb.storedType(file, "memory_entries", "value", "id = 1")).isEqualTo("blob");
        assertThat(CompressDb.catalog(file)).containsExactly("memory_entries.value");
        return file;
    }

    private static List<String> expectedValues() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add("text:" + CompressDb.hookRecord(i));
        }
        return values;
    }

    @ParameterizedTest(name = "written in a {0}")
    @ValueSource(strings = {"transaction", "transaction committed by SQL", "batch"})
    void aStatementOverCompressedValuesWrittenInATransactionAnswersCorrectly(String how) throws SQLException {
        try (Connection connection = CompressDb.open(dir.resolve("memory.db"), SETTINGS)) {
            written(connection, how);
            assertThat(CompressDb.queryLong(connection, "SELECT count(*) FROM memory_entries WHERE value GLOB"
                    + " '*pre-bash*'")).as("GLOB over compressed values").isEqualTo(5L);
            assertThat(CompressDb.queryLong(connection, "SELECT count(*) FROM memory_entries a JOIN memory_entries b"
                    + " USING (value)")).as("what the rewriter cannot account for, on plain columns").isEqualTo(5L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CREATE INDEX idx_value ON memory_entries(value)",
        "CREATE VIEW recent AS SELECT key, value FROM memory_entries",
        "CREATE TRIGGER touch AFTER UPDATE ON memory_entries BEGIN SELECT 1; END"})
    void valuesWrittenInATransactionStillReadBackAfterLaterDdl(String ddl) throws SQLException {
        valuesStillReadBackAfterLaterDdl("transaction", ddl);
    }

    /**
     * COMMIT run as SQL must confirm the record of the columns the transaction compressed into, as commit() does:
     * otherwise the DDL is not refused, the column stops being compressible and its envelopes are no longer decoded.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CREATE INDEX idx_value ON memory_entries(value)",
        "CREATE VIEW recent AS SELECT key, value FROM memory_entries",
        "CREATE TRIGGER touch AFTER UPDATE ON memory_entries BEGIN SELECT 1; END"})
    void valuesWrittenInATransactionCommittedBySqlStillReadBackAfterLaterDdl(String ddl) throws SQLException {
        valuesStillReadBackAfterLaterDdl("transaction committed by SQL", ddl);
    }

    private void valuesStillReadBackAfterLaterDdl(String how, String ddl) throws SQLException {
        try (Connection connection = CompressDb.open(dir.resolve("memory.db"), SETTINGS)) {
            written(connection, how);
            CompressDb.execute(connection, ddl);
            assertThat(CompressDb.rows(connection, "SELECT value FROM memory_entries ORDER BY id"))
                    .containsExactlyElementsOf(expectedValues());
            assertThat(CompressDb.queryLong(connection, "SELECT count(*) FROM memory_entries WHERE value LIKE '%pre-bash%'"))
                    .isEqualTo(5);
        }
    }
}
