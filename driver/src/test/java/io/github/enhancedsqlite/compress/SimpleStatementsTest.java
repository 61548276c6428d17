package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simple shapes recognised without JSqlParser give exactly what the parser and {@link SqlRewriter} give, over
 * many generated statements (shapes, near-misses, quoting, case, comments) and every compression mode; and the
 * statements a hook process runs are among those recognised.
 */
class SimpleStatementsTest {

    private static final int STATEMENTS = 4000;

    private Connection sqlite;

    @BeforeEach
    void schema() throws SQLException {
        sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement statement = sqlite.createStatement()) {
            statement.execute("CREATE TABLE memory_entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL,"
                    + " namespace TEXT NOT NULL, value TEXT NOT NULL, metadata TEXT, updated_at INTEGER,"
                    + " UNIQUE(key, namespace))");
            statement.execute("CREATE TABLE \"Notes\" (\"Body\" TEXT, tag TEXT PRIMARY KEY, n INTEGER)");
            statement.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, n INTEGER)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        sqlite.close();
    }

    @Test
    void theHookStatementsAreRecognised() throws SQLException {
        Compression compression = attached(Compression.Mode.AUTO, Set.of());
        String upsert = "INSERT INTO memory_entries(key, namespace, value) VALUES (?, ?, ?)"
                + " ON CONFLICT(key, namespace) DO UPDATE SET value = excluded.value";
        String read = "SELECT value FROM memory_entries WHERE key = ? AND namespace = ?";

        RewrittenSql written = SimpleStatements.rewrite(upsert, compression.catalogueOn(sqlite));
        RewrittenSql selected = SimpleStatements.rewrite(read, compression.catalogueOn(sqlite));

        assertThat(written).isNotNull();
        assertThat(written.compressTarget(3)).isEqualTo(new ColumnRef("memory_entries", "value"));
        // excluded.value moves into the column it was bound for: the insert records it when it stores an envelope
        assertThat(written.copiedInto()).isEmpty();
        assertThat(selected).isNotNull();
        assertThat(selected.decodes(1)).isTrue();
        assertSameAsParser(compression, upsert);
        assertSameAsParser(compression, read);
    }

    @Test
    void aComparisonWithACompressedColumnIsLeftToTheParser() throws SQLException {
        Compression compression = attached(Compression.Mode.AUTO, Set.of());

        assertThat(SimpleStatements.rewrite("SELECT key FROM memory_entries WHERE value = ?",
                compression.catalogueOn(sqlite))).isNull();
    }

    @Test
    void generatedStatementsGetWhatTheParserGives() throws SQLException {
        List<Compression> compressions = List.of(attached(Compression.Mode.AUTO, Set.of()),
                attached(Compression.Mode.LISTED, Set.of(new ColumnRef("memory_entries", "value"))),
                recordedButOff());
        Random random = new Random(14);
        int recognised = 0;
        for (int i = 0; i < STATEMENTS; i++) {
            String sql = new Generator(random).statement();
            Compression compression = compressions.get(i % compressions.size());
            if (SimpleStatements.rewrite(sql, compression.catalogueOn(sqlite)) != null) {
                recognised++;
                assertSameAsParser(compression, sql);
            }
        }
        // the generator aims at the shapes and their near misses: both sides of the boundary must be well covered
        assertThat(recognised).isBetween(STATEMENTS / 5, STATEMENTS * 4 / 5);
    }

    private void assertSameAsParser(Compression compression, String sql) throws SQLException {
        RewrittenSql simple = compression.analyse(sql, sqlite, true);
        RewrittenSql parsed = compression.analyse(sql, sqlite, false);
        assertThat(simple.sql()).as(sql).isEqualTo(parsed.sql());
        assertThat(simple.compressTargets()).as("compressed parameters of %s", sql)
                .isEqualTo(parsed.compressTargets());
        assertThat(simple.escapeTargets()).as("escaped parameters of %s", sql).isEqualTo(parsed.escapeTargets());
        assertThat(simple.decodedResults()).as("decoded results of %s", sql).isEqualTo(parsed.decodedResults());
        assertThat(simple.copiedInto()).as("copied columns of %s", sql).isEqualTo(parsed.copiedInto());
        assertThat(simple.madePlain()).as("plain columns of %s", sql).isEqualTo(parsed.madePlain());
    }

    private Compression attached(Compression.Mode mode, Set<ColumnRef> listed) throws SQLException {
        Compression compression = new Compression(mode, listed, 32, 32, Levels.uniform(3), 0, new DatabaseMetrics("simple test"));
        compression.attach(sqlite);
        return compression;
    }

    /** compress=off over columns that hold compressed values: parameters into them are escaped, not compressed. */
    private Compression recordedButOff() throws SQLException {
        Compression writer = attached(Compression.Mode.AUTO, Set.of());
        writer.beforeCompressedWrite(sqlite, Set.of(new ColumnRef("memory_entries", "metadata"),
                new ColumnRef("notes", "body")), false);
        return attached(Compression.Mode.OFF, Set.of());
    }

    /** One random statement: mostly the simple shapes, written in every way SQLite reads them, and near misses. */
    private static final class Generator {
        private static final String[][] TABLES = {
            {"memory_entries", "id", "key", "namespace", "value", "metadata", "updated_at"},
            {"Notes", "Body", "tag", "n"},
            {"plain", "id", "n"},
        };
        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        String statement() {
            String[] table = TABLES[random.nextInt(TABLES.length)];
            return switch (random.nextInt(4)) {
                case 0 -> insert(table);
                case 1 -> select(table);
                case 2 -> update(table);
                default -> delete(table);
            } + pick(() -> "", () -> "", () -> ";", () -> " ;", () -> " RETURNING " + column(table));
        }

        private String insert(String[] table) {
            List<String> columns = columns(table);
            String verb = pick(() -> "INSERT INTO", () -> "insert into", () -> "INSERT OR REPLACE INTO",
                    () -> "INSERT OR IGNORE INTO", () -> "REPLACE INTO", () -> "INSERT /* hook */ INTO");
            StringBuilder sql = new StringBuilder(verb).append(' ').append(name(table[0])).append(space())
                    .append('(').append(String.join(", ", quoted(columns))).append(") VALUES (");
            int values = random.nextInt(10) == 0 ? columns.size() + 1 : columns.size();
            for (int i = 0; i < values; i++) {
                sql.append(i == 0 ? "" : ", ").append(value());
            }
            sql.append(')');
            if (random.nextBoolean()) {
                sql.append(" ON CONFLICT");
                if (random.nextBoolean()) {
                    sql.append('(').append(name(table[2])).append(')');
                }
                if (random.nextInt(4) == 0) {
                    sql.append(" DO NOTHING");
                } else {
                    sql.append(" DO UPDATE SET ");
                    List<String> set = columns(table);
                    for (int i = 0; i < set.size(); i++) {
                        String column = set.get(i);
                        String source = random.nextInt(8) == 0 ? column(table) : column;
                        sql.append(i == 0 ? "" : ", ").append(name(column)).append(" = ")
                                .append(random.nextInt(8) == 0 ? value() : "excluded." + name(source));
                    }
                }
            }
            return sql.toString();
        }

        private String select(String[] table) {
            String columns = random.nextInt(12) == 0 ? "*" : String.join(", ", quoted(columns(table)));
            return "SELECT " + columns + " FROM " + name(table[0]) + (random.nextInt(12) == 0 ? " m" : "")
                    + where(table) + pick(() -> "", () -> " LIMIT 1", () -> " LIMIT ?", () -> " ORDER BY 1");
        }

        private String update(String[] table) {
            StringBuilder sql = new StringBuilder("UPDATE ").append(name(table[0])).append(" SET ");
            List<String> set = columns(table);
            for (int i = 0; i < set.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(name(set.get(i))).append(" = ").append(value());
            }
            return sql.append(where(table)).toString();
        }

        private String delete(String[] table) {
            return "DELETE FROM " + name(table[0]) + where(table);
        }

        private String where(String[] table) {
            if (random.nextInt(4) == 0) {
                return "";
            }
            StringBuilder where = new StringBuilder(" WHERE ");
            int conditions = 1 + random.nextInt(3);
            for (int i = 0; i < conditions; i++) {
                where.append(i == 0 ? "" : pick(() -> " AND ", () -> " and ", () -> " AND ", () -> " OR "))
                        .append(name(column(table))).append(pick(() -> " = ", () -> "=", () -> " = ", () -> " LIKE "))
                        .append(value());
            }
            return where.toString();
        }

        /** One to all of the table's columns, in random order; now and then a name it does not have. */
        private List<String> columns(String[] table) {
            List<String> all = new ArrayList<>(Arrays.asList(table).subList(1, table.length));
            java.util.Collections.shuffle(all, random);
            List<String> chosen = new ArrayList<>(all.subList(0, 1 + random.nextInt(all.size())));
            if (random.nextInt(15) == 0) {
                chosen.add("missing");
            }
            return chosen;
        }

        private String column(String[] table) {
            return table[1 + random.nextInt(table.length - 1)];
        }

        private List<String> quoted(List<String> names) {
            List<String> quoted = new ArrayList<>();
            for (String name : names) {
                quoted.add(name(name));
            }
            return quoted;
        }

        /** A name as SQLite reads it: bare in any case, or quoted. */
        private String name(String name) {
            return pick(() -> name, () -> name, () -> name.toUpperCase(java.util.Locale.ROOT), () -> '"' + name + '"',
                    () -> '[' + name + ']', () -> '`' + name + '`');
        }

        /** Mostly a bare parameter; now and then a numbered or named one, or a literal. */
        private String value() {
            return random.nextInt(8) != 0 ? "?" : pick(() -> "?1", () -> ":v", () -> "'text'", () -> "42", () -> "NULL");
        }

        private String space() {
            return pick(() -> "", () -> " ", () -> "\n", () -> " /* c */ ");
        }

        @SafeVarargs
        private String pick(Supplier<String>... choices) {
            return choices[random.nextInt(choices.length)].get();
        }
    }
}
