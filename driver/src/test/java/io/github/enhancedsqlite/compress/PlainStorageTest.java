package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The look at a statement's first words that decides whether PlainStorage's patterns (and CREATE TABLE … AS) need to
 * run at all: it must let through every statement a pattern could match.
 */
class PlainStorageTest {

    @Test
    void theKindOfObjectACreateStatementMakes() {
        assertThat(PlainStorage.createdKind("CREATE TABLE t(a)")).isEqualTo("table");
        assertThat(PlainStorage.createdKind("  /* c */ create temp table t AS SELECT 1")).isEqualTo("table");
        assertThat(PlainStorage.createdKind("CREATE TEMPORARY VIEW v AS SELECT 1")).isEqualTo("view");
        assertThat(PlainStorage.createdKind("CREATE UNIQUE INDEX i ON t(a)")).isEqualTo("index");
        assertThat(PlainStorage.createdKind("CREATE\nTRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END"))
                .isEqualTo("trigger");
        assertThat(PlainStorage.createdKind("CREATE VIRTUAL TABLE f USING fts5(a)")).isEqualTo("virtual");
        assertThat(PlainStorage.createdKind("INSERT INTO t VALUES (1)")).isNull();
        assertThat(PlainStorage.createdKind("CREATE \"TABLE\" t(a)")).isNull();
    }

    @Test
    void aWordCountsOnlyOutsideLiteralsNamesAndComments() {
        assertThat(PlainStorage.hasWord("CREATE TABLE t AS SELECT 1", "AS")).isTrue();
        assertThat(PlainStorage.hasWord("CREATE TABLE t(a TEXT GENERATED ALWAYS as (1))", "AS")).isTrue();
        assertThat(PlainStorage.hasWord("CREATE TABLE t(a TEXT DEFAULT 'as', \"as\" TEXT) -- as", "AS")).isFalse();
        assertThat(PlainStorage.hasWord("CREATE TABLE t(a TEXT, b TEXT)", "AS")).isFalse();
    }

    @Test
    void readByAnswersNothingForATableAndStillReadsAnIndex() throws Exception {
        assertThat(PlainStorage.readBy("CREATE TABLE IF NOT EXISTS t(a TEXT)", java.util.Set.of("t"), null)).isEmpty();
        assertThat(PlainStorage.isTemporary("CREATE TEMP VIEW v AS SELECT a FROM t")).isTrue();
        assertThat(PlainStorage.isTemporary("CREATE VIEW IF NOT EXISTS temp.v AS SELECT a FROM t")).isTrue();
        assertThat(PlainStorage.isTemporary("CREATE TEMP TABLE x(a)")).isFalse();
        assertThat(PlainStorage.temporaryObjectNames("CREATE TEMP TRIGGER tr AFTER INSERT ON \"Main\" BEGIN SELECT 1;"
                + " END")).containsExactly("main");
    }
}
