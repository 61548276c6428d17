package io.github.enhancedsqlite.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void aTextOfOneStatementOrNoneRunsAsItIs() {
        assertThat(SqlScript.statements(null)).isNull();
        assertThat(SqlScript.statements("INSERT INTO t VALUES (1)")).isNull();
        assertThat(SqlScript.statements("INSERT INTO t VALUES (1); -- done; really\n ;;")).isNull();
        assertThat(SqlScript.statements(" ; /* nothing */ ; ")).isNull();
        assertThat(SqlScript.statements("INSERT INTO t VALUES ('a;b', \"c;\", [d;], `e;`, x'3B')")).isNull();
    }

    @Test
    void statementsAreCutAtTheirSemicolonsWithoutTheEmptyOnes() {
        assertThat(SqlScript.statements("INSERT INTO t VALUES ('a;b');; -- one; two\n UPDATE t SET v = 1 ; SELECT 2"))
                .containsExactly("INSERT INTO t VALUES ('a;b')", "UPDATE t SET v = 1", "SELECT 2");
        assertThat(SqlScript.statements("/* first; */ BEGIN; INSERT INTO t VALUES (1);\nCOMMIT;\n"))
                .containsExactly("BEGIN", "INSERT INTO t VALUES (1)", "COMMIT");
    }

    @Test
    void aTriggersBodyStaysInItsStatementUntilSemicolonEndSemicolon() {
        String trigger = "CREATE TEMP TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN"
                + " INSERT INTO log VALUES (CASE WHEN new.v = 'x' THEN 1 END); DELETE FROM log WHERE y = ';'; END";
        assertThat(SqlScript.statements(trigger + "; INSERT INTO t VALUES ('x')"))
                .containsExactly(trigger, "INSERT INTO t VALUES ('x')");
        assertThat(SqlScript.statements("SELECT 1; " + trigger)).containsExactly("SELECT 1", trigger);
        String explained = "EXPLAIN QUERY PLAN CREATE TRIGGER tr AFTER DELETE ON t BEGIN SELECT 1; END";
        assertThat(SqlScript.statements(explained + "; SELECT 2")).containsExactly(explained, "SELECT 2");
    }

    @Test
    void onlyCreateTriggerOpensABody() {
        assertThat(SqlScript.statements("CREATE TABLE \"trigger\"(\"end\"); CREATE TABLE trigger2(x); SELECT 1"))
                .containsExactly("CREATE TABLE \"trigger\"(\"end\")", "CREATE TABLE trigger2(x)", "SELECT 1");
        assertThat(SqlScript.statements("SELECT 'CREATE TRIGGER'; SELECT 2"))
                .containsExactly("SELECT 'CREATE TRIGGER'", "SELECT 2");
        assertThat(SqlScript.statements("EXPLAIN SELECT 1; END"))
                .as("END ends a transaction outside a trigger").containsExactly("EXPLAIN SELECT 1", "END");
    }
}
