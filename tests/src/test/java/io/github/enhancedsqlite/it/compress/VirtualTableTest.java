package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A virtual table hands its values to its module: FTS indexes the words of the text, so a value stored as an envelope
 * would be indexed as bytes, and MATCH works on the bare column only. Its columns are never compressed (found by
 * sqlite-jdbc's ExtensionTest#extFTS3 once MATCH parsed).
 */
class VirtualTableTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fts3", "fts4", "fts5"})
    void fullTextTablesKeepTheirTextPlainAndMatchFindsLongValues(String module) throws Exception {
        Path file = dir.resolve(module + ".db");
        String longText = "pumpkin onions garlic celery " + "stew with slow roasted vegetables ".repeat(20);
        try (Connection connection = CompressDb.open(file)) {
            CompressDb.execute(connection, "CREATE VIRTUAL TABLE recipe USING " + module + "(name, ingredients)");
            CompressDb.update(connection, "INSERT INTO recipe (name, ingredients) VALUES (?, ?)", "pumpkin stew", longText);
            CompressDb.update(connection, "INSERT INTO recipe (name, ingredients) VALUES (?, ?)", "broccoli stew",
                    "broccoli peppers cheese tomatoes " + "and more broccoli ".repeat(20));

            String match = module.equals("fts5") ? "recipe MATCH 'onions'" : "ingredients MATCH 'onions'";
            assertThat(CompressDb.rows(connection, "SELECT name FROM recipe WHERE " + match))
                    .containsExactly("text:pumpkin stew");
            assertThat(CompressDb.queryString(connection, "SELECT ingredients FROM recipe WHERE name = 'pumpkin stew'"))
                    .isEqualTo(longText);
        }
        try (Connection plain = CompressDb.plain(file)) {
            assertThat(CompressDb.queryString(plain, "SELECT typeof(ingredients) FROM recipe WHERE name = 'pumpkin stew'"))
                    .as("stored as the text it is, so the module indexed its words").isEqualTo("text");
        }
    }
}
