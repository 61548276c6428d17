package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which mentions of a schema listing {@link SchemaListings} reads without the driver's tables, and which it leaves as
 * written; the answers themselves are compared with compress=off in {@code it/compress/SchemaListingsTest}.
 */
class SchemaListingsTest {

    private static final String OWN = "LIKE '\\_enhanced\\_sqlite\\_%' ESCAPE '\\'";
    private static final String WITHOUT = "(SELECT * FROM sqlite_master WHERE NOT (tbl_name " + OWN + "))";

    @Test
    void aReadBecomesASubqueryOfTheSameNameKeepingAnAlias() {
        assertThat(SchemaListings.withoutOwnTables("SELECT name FROM sqlite_master WHERE type = 'table'"))
                .isEqualTo("SELECT name FROM " + WITHOUT + " AS sqlite_master WHERE type = 'table'");
        assertThat(SchemaListings.withoutOwnTables("SELECT m.name FROM sqlite_master AS m"))
                .isEqualTo("SELECT m.name FROM " + WITHOUT + " AS m");
        assertThat(SchemaListings.withoutOwnTables("SELECT m.name FROM sqlite_master m JOIN t ON 1"))
                .isEqualTo("SELECT m.name FROM " + WITHOUT + " m JOIN t ON 1");
        assertThat(SchemaListings.withoutOwnTables("SELECT 1 FROM t, main.sqlite_master"))
                .isEqualTo("SELECT 1 FROM t, " + WITHOUT.replace("FROM sqlite_master", "FROM main.sqlite_master")
                        + " AS sqlite_master");
        assertThat(SchemaListings.withoutOwnTables("PRAGMA table_list;"))
                .isEqualTo("SELECT * FROM pragma_table_list WHERE NOT (name " + OWN + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM sqlite_master WHERE name = 'x'",
            "UPDATE sqlite_master SET sql = 'x' WHERE name = 'y'",
            "INSERT INTO sqlite_master VALUES ('table', 'x', 'x', 0, 'x')",
            "CREATE VIEW v AS SELECT name FROM sqlite_master",
            "SELECT rowid, name FROM sqlite_master",
            "SELECT name FROM pragma_table_list('t')",
            "WITH sqlite_master AS (SELECT 'mine' AS name) SELECT name FROM sqlite_master",
            "SELECT name FROM sqlite_master NOT INDEXED",
            "PRAGMA main.table_list",
            "SELECT 'sqlite_master' FROM t",
            "SELECT x FROM t"})
    void writesDdlAndWhatASubqueryCannotStandForAreLeftAsWritten(String sql) {
        assertThat(SchemaListings.withoutOwnTables(sql)).isSameAs(sql);
    }
}
