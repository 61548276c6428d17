package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The restatement of SQLite-only syntax for the parser: same length and line breaks (the rewriter splices the
 * original text at the parser's positions), operators only where they are operators, and nothing inside strings,
 * quoted names or comments.
 */
class SqliteSyntaxTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SELECT a FROM t WHERE b GLOB 'x*'|SELECT a FROM t WHERE b LIKE 'x*'",
        "SELECT a FROM t WHERE b NOT GLOB ?|SELECT a FROM t WHERE b NOT LIKE ?",
        "SELECT a FROM t WHERE b MATCH 'x'|SELECT a FROM t WHERE b LIKE  'x'",
        "SELECT glob('x', b), like('x', b) FROM t|SELECT glob('x', b), glob('x', b) FROM t",
        "SELECT a FROM t WHERE b IS ?|SELECT a FROM t WHERE b =  ?",
        "SELECT a FROM t WHERE b IS NOT :p|SELECT a FROM t WHERE b <>     :p",
        "SELECT a FROM t WHERE b IS NULL AND c IS NOT TRUE AND d IS NOT DISTINCT FROM e|"
                + "SELECT a FROM t WHERE b IS NULL AND c IS NOT TRUE AND d IS NOT DISTINCT FROM e",
        "SELECT a FROM t WHERE b == 1|SELECT a FROM t WHERE b =  1",
        "SELECT a NOT NULL FROM t|SELECT a  NOTNULL FROM t",
        "SELECT a FROM t WHERE NOT NULL|SELECT a FROM t WHERE NOT NULL",
        "SELECT - - a, + - 15, + + b, ~ - c, a - - b, (- -a) FROM t|SELECT -   a, -   15, +   b, -   c, a - - b, (-  a) FROM t",
        "SELECT a FROM t WHERE - + a > + + ? AND b IN (- ~ 1)|SELECT a FROM t WHERE -   a > +   ? AND b IN (-   1)",
        "SELECT a FROM t INDEXED BY i WHERE b|SELECT a FROM t              WHERE b",
        "DELETE FROM t NOT INDEXED WHERE b|DELETE FROM t             WHERE b",
        "SELECT a FROM t WHERE NOT indexed|SELECT a FROM t WHERE NOT indexed",
        "INSERT OR IGNORE INTO t VALUES (1)|INSERT           INTO t VALUES (1)",
        "UPDATE OR ROLLBACK t SET a = 1|UPDATE             t SET a = 1",
        "WITH c AS NOT MATERIALIZED (SELECT 1) SELECT * FROM c|WITH c AS     MATERIALIZED (SELECT 1) SELECT * FROM c",
        "SELECT a FROM t WHERE b = c COLLATE BINARY|SELECT a FROM t WHERE b = c COLLATE c_____",
        "SELECT ((SELECT b FROM u WHERE u.a = t.a) COLLATE NOCASE) FROM t|"
                + "SELECT ((SELECT b FROM u WHERE u.a = t.a)               ) FROM t",
        "SELECT count(*) OVER (w ORDER BY a GROUPS CURRENT ROW EXCLUDE TIES) FROM t|"
                + "SELECT count(*) OVER (  ORDER BY a ROWS   CURRENT ROW             ) FROM t",
        "SELECT groups, exclude FROM t WHERE groups BETWEEN 1 AND 2 GROUP BY exclude|"
                + "SELECT groups, exclude FROM t WHERE groups BETWEEN 1 AND 2 GROUP BY exclude",
        "SELECT group_concat(a) OVER () FROM t|SELECT string_agg  (a) OVER () FROM t",
        "SELECT substr(coalesce(a, b), 1), substring(a, 2) FROM t|SELECT subst_(coalesce(a, b), 1), substrin_(a, 2) FROM t",
        "DELETE FROM t WHERE a LIMIT 2 OFFSET ?;|DELETE FROM t WHERE a LIMIT 2         ;",
        "SELECT a FROM t LIMIT 2 OFFSET 1|SELECT a FROM t LIMIT 2 OFFSET 1",
        "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING ON CONFLICT (a) DO UPDATE SET b = 1|"
                + "INSERT INTO t VALUES (1)                        ON CONFLICT (a) DO UPDATE SET b = 1",
    })
    void restatesForTheParserAtTheSamePositions(String sql, String expected) {
        assertThat(SqliteSyntax.forParser(sql)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 'b GLOB c IS ?', \"x IS y\", [a IS b], `NOT INDEXED` FROM t -- GLOB IS ?",
        "SELECT a /* b IS ? INDEXED BY i */ FROM t WHERE x'00' = b",
        "SELECT 'it''s GLOB' FROM t",
    })
    void leavesStringsQuotedNamesAndCommentsAlone(String sql) {
        assertThat(SqliteSyntax.forParser(sql)).isEqualTo(sql);
    }

    /** Broken SQL is the parser's to refuse: restating it must not fail first. */
    @ParameterizedTest
    @ValueSource(strings = {"UPDATE OR ? t SET a = 1 WHERE b IS", "SELECT a FROM t WHERE b NOT", "INSERT OR", "SELECT 'open",
        "SELECT [open", "SELECT a FROM t INDEXED BY", "SELECT group_concat(a OVER", "SELECT a /* open"})
    void toleratesBrokenStatements(String sql) {
        assertThat(SqliteSyntax.forParser(sql)).hasSize(sql.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT a FROM t WHERE b NOT\nNULL AND c IS\r\n? AND d\nGLOB 'x'",
        "SELECT a FROM t\nINDEXED\nBY\ni WHERE b IS NOT\n?"})
    void keepsLengthAndLineBreaks(String sql) {
        String restated = SqliteSyntax.forParser(sql);
        assertThat(restated).hasSize(sql.length());
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n' || sql.charAt(i) == '\r') {
                assertThat(restated.charAt(i)).isEqualTo(sql.charAt(i));
            }
        }
    }
}
