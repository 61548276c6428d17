package io.github.enhancedsqlite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlInspectorTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "PRAGMA foreign_keys=ON", "pragma main.cache_size = 10", "  /* c */ PRAGMA cache_size(100)",
        "-- note\nPRAGMA query_only = 1", "ATTACH DATABASE 'x.db' AS x", "detach x",
        "CREATE TEMP TABLE t(a)", "create temporary view v as select 1", "CREATE TABLE temp.t(a)",
        "CREATE INDEX temp.i ON t(a)"
    })
    void sessionChangesAreDetected(String sql) {
        assertThat(SqlInspector.inspect(sql) & SqlInspector.ALTERS_SESSION).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM t", "PRAGMA journal_mode", "PRAGMA table_info(t)", "pragma main.index_list('t')",
        "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA optimize;", "CREATE TABLE t(a)", "CREATE TABLE attempts(a)",
        "INSERT INTO t VALUES ('PRAGMA x=1')", "UPDATE t SET a = 1", ""
    })
    void ordinaryStatementsAreNot(String sql) {
        assertThat(SqlInspector.inspect(sql) & SqlInspector.ALTERS_SESSION).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BEGIN", "begin immediate", " SAVEPOINT s1"})
    void handOpenedTransactionsAreDetected(String sql) {
        assertThat(SqlInspector.inspect(sql)).isEqualTo(SqlInspector.OPENS_TRANSACTION);
    }

    /**
     * optimize (ANALYZE's statistics) and incremental_vacuum write the database without changing the session: they
     * take the writer turn, and a transaction they begin is a writer's (readers first would otherwise begin the
     * maintenance thread's optimize as a reader, writing without the turn).
     */
    @ParameterizedTest
    @ValueSource(strings = {"PRAGMA optimize", "PRAGMA optimize;", "pragma main.optimize(0x10002)",
        "PRAGMA incremental_vacuum(1)", "PRAGMA incremental_vacuum"})
    void pragmasThatWriteTheDatabaseWriteWithoutAlteringTheSession(String sql) {
        assertThat(SqlInspector.inspect(sql)).isEqualTo(SqlInspector.WRITES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRAGMA journal_mode", "PRAGMA table_info(t)", "PRAGMA wal_checkpoint(TRUNCATE)",
        "PRAGMA data_version"})
    void reportingPragmasNeitherWriteNorAlterTheSession(String sql) {
        assertThat(SqlInspector.inspect(sql)).isZero();
    }

    /** A leading SELECT is read without the lexer; whatever way it is written, it is a read and nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "  select\n* FROM t", "SELECT(1)", "\tSeLeCt x FROM t WHERE y = 'INSERT'",
        "/* c */ SELECT 1", "-- c\nSELECT 1", "SELECT"})
    void leadingSelectsAreReadsOnly(String sql) {
        assertThat(SqlInspector.inspect(sql)).isZero();
    }

    /** A word that only begins with SELECT is no SELECT (the fast path must not take it for one). */
    @ParameterizedTest
    @ValueSource(strings = {"SELECTx", "select_1"})
    void aWordBeginningWithSelectIsNotASelect(String sql) {
        assertThat(SqlInspector.inspect(sql)).isEqualTo(SqlInspector.inspect(sql + " "));
        assertThat(SqlInspector.inspect(sql) & SqlInspector.WRITES).as("unknown: may write").isNotZero();
    }
}
