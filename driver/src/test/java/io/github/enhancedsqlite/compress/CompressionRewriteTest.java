package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How statements over a compressible column are rewritten, on a real SQLite schema. */
class CompressionRewriteTest {

    private Connection sqlite;
    private final Compression compression = new Compression(Compression.Mode.AUTO, Set.of(), 32, 32, Levels.uniform(3), 0,
            new DatabaseMetrics("rewrite test"));

    @BeforeEach
    void schema() throws SQLException {
        sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement statement = sqlite.createStatement()) {
            statement.execute("CREATE TABLE memory_entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL,"
                    + " namespace TEXT NOT NULL, metadata TEXT, updated_at INTEGER, UNIQUE(key, namespace))");
            statement.execute("CREATE INDEX idx_ns ON memory_entries(namespace)");
            statement.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER)");
        }
        compression.attach(sqlite);
    }

    @AfterEach
    void close() throws SQLException {
        sqlite.close();
    }

    private RewrittenSql rewrite(String sql) throws SQLException {
        return compression.rewrite(sql, sqlite);
    }

    @Test
    void keysAndIndexedColumnsAreNeverCompressible() throws SQLException {
        TableInfo table = new Schema().table(sqlite, "memory_entries");

        assertThat(table.compressible()).containsExactlyInAnyOrder("value", "metadata");
    }

    @Test
    void statementsOverOtherTablesRunUnchanged() throws SQLException {
        String sql = "SELECT n FROM plain WHERE id = ?";

        assertThat(rewrite(sql)).isEqualTo(RewrittenSql.unchanged(sql));
    }

    @Test
    void bareResultColumnsAreDecodedByGettersAndFiltersDecompressInSql() throws SQLException {
        RewrittenSql rewritten = rewrite("SELECT key, value FROM memory_entries WHERE value LIKE ? AND key = ?");

        assertThat(rewritten.sql()).isEqualTo("SELECT key, value FROM memory_entries WHERE CASE WHEN typeof(value) ="
                + " 'blob' THEN esq_decompress(value, 'memory_entries.value', \"memory_entries\".rowid) ELSE value END"
                + " LIKE ? AND key = ?");
        assertThat(rewritten.decodes(1)).isFalse();
        assertThat(rewritten.decodes(2)).isTrue();
    }

    @Test
    void orderingByAResultAliasDecompressesTheResultColumnsInSql() throws SQLException {
        RewrittenSql rewritten = rewrite("SELECT value AS v FROM memory_entries m ORDER BY v");

        assertThat(rewritten.sql()).isEqualTo("SELECT CASE WHEN typeof(value) = 'blob' THEN"
                + " esq_decompress(value, 'memory_entries.value', \"m\".rowid) ELSE value END AS v FROM memory_entries m"
                + " ORDER BY v");
        assertThat(rewritten.decodesAny()).isFalse();
    }

    @Test
    void parametersBoundIntoCompressibleColumnsAreMarked() throws SQLException {
        RewrittenSql rewritten = rewrite("INSERT INTO memory_entries(key, namespace, value, metadata) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT(key, namespace) DO UPDATE SET value = excluded.value, metadata = metadata || ?");

        assertThat(rewritten.compressTarget(1)).isNull();
        assertThat(rewritten.compressTarget(2)).isNull();
        assertThat(rewritten.compressTarget(3)).isEqualTo(new ColumnRef("memory_entries", "value"));
        assertThat(rewritten.compressTarget(4)).isEqualTo(new ColumnRef("memory_entries", "metadata"));
        assertThat(rewritten.sql()).contains("value = excluded.value")
                .contains("metadata = CASE WHEN typeof(metadata) = 'blob' THEN esq_decompress(metadata,"
                        + " 'memory_entries.metadata', \"memory_entries\".rowid) ELSE metadata END || ?");
    }

    @Test
    void valuesComputedInSqlThatMayBeBlobsAreEscapedAndTextOnesAreNot() throws SQLException {
        RewrittenSql rewritten = rewrite("UPDATE memory_entries SET value = coalesce(?, X''), metadata = metadata || 'x'"
                + " WHERE id = 1");

        // evaluated once; only a BLOB goes through the escape (TEXT that is not valid UTF-8 stays as computed)
        assertThat(rewritten.sql()).startsWith("UPDATE memory_entries SET value = (SELECT CASE WHEN"
                + " typeof(_esq_value_) = 'blob' THEN esq_escape(_esq_value_) ELSE _esq_value_ END FROM (SELECT"
                + " coalesce(?, X'') AS _esq_value_)), metadata = CASE WHEN");
        assertThat(rewritten.copiedInto()).containsExactly(new ColumnRef("memory_entries", "value"));
        assertThat(rewrite("INSERT INTO memory_entries(key, value) VALUES ('k', X'00EC45535A')").sql())
                .doesNotContain("esq_escape");
        assertThat(rewrite("INSERT INTO memory_entries(key, value) VALUES ('k', X'EC45535A00')").sql())
                .contains("(SELECT X'EC45535A00' AS _esq_value_)");
    }

    @Test
    void insertSelectStoresItsRowsThroughTheEscape() throws SQLException {
        RewrittenSql rewritten = rewrite("INSERT INTO memory_entries(key, value) SELECT key, value FROM memory_entries");

        assertThat(rewritten.sql()).startsWith("INSERT INTO memory_entries(key, value) WITH _esq_source_(\"c1\", \"c2\")"
                + " AS (SELECT key, CASE WHEN").endsWith(" FROM memory_entries) SELECT \"c1\", CASE WHEN typeof(\"c2\")"
                + " = 'blob' THEN esq_escape(\"c2\") ELSE \"c2\" END FROM _esq_source_ WHERE true");
    }

    @Test
    void unaliasedExpressionsKeepTheLabelOfTheirOriginalText() throws SQLException {
        RewrittenSql rewritten = rewrite("SELECT length(value), value || '#' FROM memory_entries");

        assertThat(rewritten.sql()).contains(" AS \"length(value)\"").endsWith(" AS \"value || '#'\" FROM memory_entries");
    }

    @Test
    void starInASubqueryIsSpelledOutWithDecompressedColumns() throws SQLException {
        RewrittenSql rewritten = rewrite("SELECT count(*) FROM (SELECT * FROM memory_entries) WHERE value LIKE '%a%'");

        assertThat(rewritten.sql()).contains("esq_decompress(\"memory_entries\".\"value\"")
                .contains("AS \"value\"");
    }

    @Test
    void joiningOnACompressedColumnWithUsingRunsAsWrittenOnPlainColumns() throws SQLException {
        String sql = "SELECT * FROM memory_entries a JOIN memory_entries b USING (value)";
        RewrittenSql rewritten = rewrite(sql);

        assertThat(rewritten.sql()).isEqualTo(sql);
        assertThat(rewritten.madePlain()).extracting(ColumnRef::toString).contains("memory_entries.value");
    }
}
