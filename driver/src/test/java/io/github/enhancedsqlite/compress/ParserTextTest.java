package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Restatements that move text or add characters for the parser: what the parser reads, and that every word of it
 * maps back to the same word of the statement as written (the rewriter splices there).
 */
class ParserTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DELETE FROM t WHERE a RETURNING b ORDER BY c LIMIT 1|DELETE FROM t WHERE a ORDER BY c LIMIT 1 RETURNING b ",
        "UPDATE t SET a = 1 RETURNING a, b ORDER BY c;|UPDATE t SET a = 1 ORDER BY c RETURNING a, b ;",
        "UPDATE t SET a = 1 ORDER BY c LIMIT 2 OFFSET 1 + 1|UPDATE t SET a = 1 ORDER BY c LIMIT (2)+(1 + 1)",
        "DELETE FROM t ORDER BY c LIMIT abs(-1), 2|DELETE FROM t ORDER BY c LIMIT (abs(-1))+(2)",
        "SELECT a FROM t LIMIT (SELECT count(*) FROM u) OFFSET 1|"
                + "SELECT a FROM t LIMIT 0 OFFSET ((SELECT count(*) FROM u))+(1)",
        "SELECT (SELECT a FROM t LIMIT (SELECT b FROM u)) FROM v|"
                + "SELECT (SELECT a FROM t LIMIT 0 OFFSET ((SELECT b FROM u))) FROM v",
        "SELECT a FROM t LIMIT 2 OFFSET 1|SELECT a FROM t LIMIT 2 OFFSET 1",
        "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 1 WHERE c ON CONFLICT DO UPDATE SET d = ? RETURNING b|"
                + "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = 1, d = ? WHERE (c) RETURNING b",
        "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = ? WHERE c = ? ON CONFLICT DO UPDATE SET d = ?|"
                + "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET b = ? WHERE c = ? ON CONFLICT DO UPDATE SET d = ?",
        "SELECT window, f.unbounded FROM f WINDOW w AS (ROWS UNBOUNDED PRECEDING)|"
                + "SELECT \"window\", f.\"unbounded\" FROM f WINDOW w AS (ROWS UNBOUNDED PRECEDING)",
        // names SQLite reads as names and the parser as keywords of other dialects, quoted; their keywords not
        "SELECT only, t.uuid AS output, trim(xor) FROM t LEFT OUTER JOIN u USING (id) WHERE interval > 1|"
                + "SELECT \"only\", t.\"uuid\" AS \"output\", trim(\"xor\") FROM t LEFT OUTER JOIN u USING (id)"
                + " WHERE \"interval\" > 1",
        "UPDATE t SET current = left, full = right WHERE CAST(a AS interval) = 1|"
                + "UPDATE t SET \"current\" = \"left\", \"full\" = \"right\" WHERE CAST(a AS interval) = 1",
        "SELECT count(*) OVER (ORDER BY current ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING), row FROM t NATURAL JOIN u|"
                + "SELECT count(*) OVER (ORDER BY \"current\" ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING), \"row\" FROM t"
                + " NATURAL JOIN u",
        "INSERT INTO output(key) VALUES (1) ON CONFLICT (key) DO UPDATE SET key = CASE WHEN a THEN key END|"
                + "INSERT INTO \"output\"(\"key\") VALUES (1) ON CONFLICT (\"key\") DO UPDATE SET \"key\" = CASE WHEN a"
                + " THEN \"key\" END",
        // SQLite's own keywords that it reads as names: LIKE where an operand starts, FOR but before EACH, WITH
        // but where it opens CTEs; not LIKE after a word that may itself be a name (by LIKE)
        "SELECT like, t.for, with FROM t WHERE like LIKE 'a%' AND for NOT LIKE with AND NOT like AND by LIKE 'b'|"
                + "SELECT \"like\", t.\"for\", \"with\" FROM t WHERE \"like\" LIKE 'a%' AND \"for\" NOT LIKE"
                + " \"with\" AND NOT \"like\" AND by LIKE 'b'",
        "SELECT a FROM t WHERE by IS NOT b AND offset IS NULL AND c IS replace(by, 1, 2)|"
                + "SELECT a FROM t WHERE by <>     b AND \"offset\" IS NULL AND c =  replace(by, 1, 2)",
        "WITH with AS (SELECT 1), c(x) AS (SELECT with FROM with) SELECT x FROM c|"
                + "WITH \"with\" AS (SELECT 1), c(x) AS (SELECT \"with\" FROM \"with\") SELECT x FROM c",
        "WITH RECURSIVE with(x) AS (SELECT 1) SELECT x FROM with|WITH RECURSIVE \"with\"(x) AS (SELECT 1) SELECT x FROM"
                + " \"with\"",
        "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN UPDATE t SET for = 1 WHERE with IN (1); END|"
                + "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN UPDATE t SET \"for\" = 1 WHERE \"with\""
                + " IN (1); END",
        "CREATE TABLE t (a, b, PRIMARY KEY (a), FOREIGN KEY (b) REFERENCES u (only))|"
                + "CREATE TABLE t (a, b, PRIMARY KEY (a), FOREIGN KEY (b) REFERENCES u (\"only\"))",
        // BETWEEN as SQLite delimits it: a long bound as a sub-query, a BETWEEN before = in parentheses
        "SELECT a FROM t WHERE x BETWEEN (c + d * - e * - f) AND 1 + f(a + b + c) AND y|"
                + "SELECT a FROM t WHERE x BETWEEN (SELECT (c + d * - e * - f) AS esq_operand) AND (SELECT 1 + f(a + b + c)"
                + " AS esq_operand) AND y",
        "SELECT x BETWEEN 1 AND y = 1, NOT t.x NOT BETWEEN -1 AND 2 IS NOT 3, (SELECT a) BETWEEN 1 AND 2 IN (1) FROM t|"
                + "SELECT (x BETWEEN 1 AND y) = 1, NOT (t.x NOT BETWEEN -1 AND 2) <>     3, (SELECT (SELECT a) BETWEEN 1 AND 2"
                + " AS esq_operand) IN (1) FROM t",
        "UPDATE t SET a = x BETWEEN 1 AND y = 1, b = c = d < e WHERE f = g <> h|"
                + "UPDATE t SET a = (x BETWEEN 1 AND y) = 1, b = c = (d < e) WHERE (f = g) <> h",
        "SELECT (a) ISNULL, (b) NOTNULL FROM t|SELECT (a) IS NULL, (b) IS NOT NULL FROM t",
        // operators of BETWEEN's precedence in a row apply from the left; EXISTS as an operand in parentheses
        "SELECT a = x BETWEEN 1 AND 2 = 3, x BETWEEN 1 AND 2 < 3 FROM t|"
                + "SELECT ((a = x) BETWEEN 1 AND 2) = 3, x BETWEEN 1 AND 2 < 3 FROM t",
        "SELECT x = y IS NULL, x NOTNULL = 1, x LIKE y < 1 ESCAPE '!' IN (1), NOT NULL <> x FROM t|"
                + "SELECT (x = y) IS NULL, (x NOTNULL) = 1, (x LIKE (y < 1) ESCAPE '!') IN (1), NOT NULL <> x FROM t",
        "SELECT 1 FROM t WHERE x < EXISTS (SELECT 1) AND EXISTS (SELECT 2) IS NOT TRUE AND NOT EXISTS (SELECT 3)|"
                + "SELECT 1 FROM t WHERE x < (EXISTS (SELECT 1)) AND (EXISTS (SELECT 2)) IS NOT TRUE AND NOT EXISTS"
                + " (SELECT 3)",
        "SELECT x IS NULL >= y, x IS NOT NULL * y, x IS TRUE + 1, x IS NULL = 1 FROM t|"
                + "SELECT x =  (NULL >= y), x <>     NULL * y, x =  TRUE + 1, (x IS NULL) = 1 FROM t",
        "SELECT (SELECT a FROM u WHERE b) IN (1) = 2 IS NULL FROM t|"
                + "SELECT (SELECT (SELECT (SELECT a FROM u WHERE b) IN (1) AS esq_operand) = 2 AS esq_operand) IS NULL"
                + " FROM t",
    })
    void restatesForTheParserKeepingWhereEachCharacterCameFrom(String sql, String expected) {
        ParserText parsed = ParserText.of(sql);
        assertThat(parsed.text().strip()).isEqualTo(expected);
        Matcher words = Pattern.compile("[A-Za-z_]\\w*").matcher(parsed.text());
        while (words.find()) {
            int start = parsed.originOf(words.start());
            int end = parsed.originOf(words.end() - 1) + 1;
            if (end - start != words.group().length()) {
                assertThat(words.group()).as("only these words are added").isIn("OFFSET", "WHERE", "AND", "SELECT", "AS", "esq_operand", "IS", "NOT", "NULL");
                continue;
            }
            assertThat(sql.substring(start, end)).as("origin of %s", words.group())
                    .isEqualToIgnoringCase(words.group());
        }
    }
}
