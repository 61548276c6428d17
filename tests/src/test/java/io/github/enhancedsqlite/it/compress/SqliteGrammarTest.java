package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SQLite's grammar on compressed tables, walked along its syntax diagrams (sqlite.org/lang.html): every expression
 * operator, every clause of SELECT, INSERT, UPDATE and DELETE, upserts, RETURNING, window functions, CTEs, compound
 * selects, table-valued functions and every parameter form. Each statement runs on two databases filled
 * identically, one {@code compress=off} and one with the default compression whose long values are stored
 * compressed; the outcome (result labels, rows with their Java types, update counts, SQLite's error if it refuses
 * the statement itself, and every table's contents after a write) must be the same on both.
 */
class SqliteGrammarTest {

    static final String OFF = "compress=off";
    /** The default settings: compress=auto with the 256-byte threshold. */
    static final String AUTO = "";

    @TempDir
    static Path shared;

    static Path off;
    static Path auto;

    @TempDir
    Path dir;

    @BeforeAll
    static void twoDatabasesWithTheSameRows() throws SQLException {
        off = shared.resolve("off.db");
        auto = shared.resolve("auto.db");
        fill(off, OFF);
        fill(auto, AUTO);
        EnhancedSqlite.shutdown();
        assertThat(CompressDb.catalog(auto)).contains("docs.body", "docs.meta", "docs.data", "drafts.body",
                "bodies.body", "frames.window", "frames.unbounded", "words.uuid", "words.only", "words.current",
                "words.left", "words.output", "keywords.like", "keywords.for", "keywords.with",
                "keywords.by");
        assertThat(CompressDb.catalog(auto)).as("SQLite reads a bare TRUE as such a column, the parser as the literal")
                .doesNotContain("words.true");
        try (var plain = CompressDb.plain(auto)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM docs WHERE length(CAST(body AS BLOB)) >= 256"
                    + " AND typeof(body) <> 'blob'")).as("every long body is stored compressed").isZero();
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM docs WHERE typeof(body) = 'blob'"))
                    .isGreaterThanOrEqualTo(8);
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM docs WHERE typeof(data) = 'blob'"
                    + " AND substr(data, 1, 4) = X'EC45535A'")).as("BLOBs too").isGreaterThanOrEqualTo(4);
        }
    }

    /**
     * docs: compressed body, meta and data beside a UNIQUE key (never compressed) and numbers; drafts: a second
     * compressed table; tags: a plain one. Some values are short (stored as they are), some NULL.
     */
    static void fill(Path file, String settings) throws SQLException {
        try (Connection connection = CompressDb.open(file, settings)) {
            CompressDb.execute(connection,
                    "CREATE TABLE docs (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, body TEXT, meta TEXT,"
                            + " n INTEGER, data BLOB)",
                    "CREATE INDEX docs_n ON docs(n)",
                    "CREATE TABLE drafts (id INTEGER PRIMARY KEY, key TEXT, body TEXT)",
                    "CREATE TABLE tags (id INTEGER PRIMARY KEY, doc_id INTEGER, label TEXT)",
                    "CREATE TABLE bodies (body TEXT)",
                    "CREATE TABLE frames (id INTEGER PRIMARY KEY, window TEXT, unbounded TEXT)",
                    "CREATE TABLE words (id INTEGER PRIMARY KEY, uuid TEXT, only TEXT, current TEXT, left TEXT,"
                            + " output TEXT, \"true\" TEXT)",
                    "CREATE TABLE keywords (id INTEGER PRIMARY KEY, \"like\" TEXT, \"for\" TEXT, \"with\" TEXT,"
                            + " \"by\" TEXT)");
            for (int i = 1; i <= 12; i++) {
                String body = i == 5 ? null : i == 6 ? "short " + i : i == 10 ? "10" : body(i);
                String meta = i % 3 == 0 ? null : "{\"owner\":\"agent-" + (i % 4) + "\",\"path\":\"/"
                        + "segment/".repeat(30 + i) + "\",\"weight\":" + (i * 1.5) + "}";
                byte[] data = i % 2 == 0 ? null : ("binary payload " + i + " ").repeat(30).getBytes();
                CompressDb.update(connection, "INSERT INTO docs (key, body, meta, n, data) VALUES (?, ?, ?, ?, ?)",
                        "k" + i, body, meta, i % 4 == 0 ? null : i * 10, data);
                CompressDb.update(connection, "INSERT INTO drafts (key, body) VALUES (?, ?)", "k" + (i % 7),
                        i % 2 == 0 ? body(i + 1) : body(i));
                if (i % 3 == 0 || i == 10) { // '10' too: a number compared with the only column converts
                    CompressDb.update(connection, "INSERT INTO bodies (body) VALUES (?)", body);
                }
                if (i == 1) { // '0' sorts below the text of a truth value (1 or 0 becomes '1' or '0')
                    CompressDb.update(connection, "INSERT INTO bodies (body) VALUES ('0')");
                }
                CompressDb.update(connection, "INSERT INTO tags (doc_id, label) VALUES (?, ?)", i,
                        i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "Blue");
                if (i % 2 == 1) { // columns named like SQLite's window keywords, stored compressed
                    CompressDb.update(connection, "INSERT INTO frames (\"window\", \"unbounded\") VALUES (?, ?)",
                            body(i), i % 3 == 0 ? "short" : body(i + 2));
                    // columns named like keywords of the parser's other dialects (and TRUE, never compressed)
                    CompressDb.update(connection, "INSERT INTO words (\"uuid\", \"only\", \"current\", \"left\","
                            + " \"output\", \"true\") VALUES (?, ?, ?, ?, ?, ?)", body(i), body(i + 1),
                            i % 3 == 0 ? "short" : body(i + 2), body(i + 3), i == 5 ? null : body(i), body(i + 4));
                    // columns named like SQLite's own keywords that SQLite also takes as names
                    CompressDb.update(connection, "INSERT INTO keywords (\"like\", \"for\", \"with\", \"by\")"
                            + " VALUES (?, ?, ?, ?)", body(i + 1), i == 7 ? null : body(i),
                            i % 3 == 0 ? "short" : body(i + 2), i == 3 ? null : body(i + 3));
                }
            }
        }
    }

    /** A JSON document well above 256 bytes; glob and like patterns below look for its parts. */
    static String body(int i) {
        return "{\"type\":\"t" + (i % 3) + "\",\"n\":" + i + ",\"tags\":[\"a\",\"b" + i + "\"],\"nested\":{\"x\":"
                + (i * 2) + "},\"text\":\"" + "Lorem ipsum dolor sit amet ".repeat(8 + i) + (i % 4 == 0 ? "café 漢字" : "")
                + "\"}";
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    // ---------------------------------------------------------------- reads

    static Stream<Arguments> expressions() {
        return Stream.of(
                // unary and binary operators, in SQLite's precedence table order
                q("SELECT id, ~n, -n, +body IS NULL, NOT (body IS NULL) FROM docs ORDER BY id"),
                q("SELECT id FROM docs WHERE +body LIKE '%café%' ORDER BY id"),
                // +x is x without its affinity, not a number: a BLOB compared with TEXT stays a BLOB
                q("SELECT id FROM docs WHERE body = + x'73686f72742036' OR body = +(x'3130') ORDER BY id"),
                // ... so is +CAST(…): its number takes the TEXT affinity of the column it is compared with
                q("SELECT id FROM docs WHERE NOT body >= + CAST(+ id AS INTEGER) OR body = + CAST(id AS INTEGER)"
                        + " ORDER BY id"),
                // the items of IN (…) have no affinity, not even a column or a CAST: x IN (c) is x = +c
                q("SELECT id FROM docs WHERE body IN (id, 'x') OR body IN (CAST(n / 10 AS INTEGER)) ORDER BY id"),
                q("SELECT id FROM docs WHERE (body) NOT IN (CAST(body AS INTEGER), key) ORDER BY id"),
                // signs in a row (sqllogictest writes them): one sign to the parser, the chain to SQLite
                q("SELECT id, - - n, + - length(body), ~ - n, - ~ n, + + body, - + body FROM docs"
                        + " WHERE - - length(body) > 10 AND + + body NOT LIKE '%t9%' ORDER BY id"),
                q("SELECT id FROM docs WHERE body > + + 5 OR body = - - ? OR body = + + x'3130' ORDER BY id", "7"),
                q("SELECT id, body || '!', meta || body, length(body || meta) FROM docs ORDER BY id"),
                q("SELECT id, body -> '$.tags', body ->> '$.type', body -> 'nested' ->> 'x', meta ->> '$.weight'"
                        + " FROM docs WHERE body ->> '$.n' > 3 ORDER BY id"),
                q("SELECT id, length(body) * 2, length(body) / 3, length(body) % 7, length(body) + n,"
                        + " length(body) - n FROM docs ORDER BY id"),
                q("SELECT id, length(body) & 255, length(body) | 1, length(body) << 2, length(body) >> 1"
                        + " FROM docs ORDER BY id"),
                q("SELECT id FROM docs WHERE body < '{\"type\":\"t1' ORDER BY id"),
                q("SELECT id FROM docs WHERE body <= meta OR body >= '{\"type\":\"t2' ORDER BY id"),
                q("SELECT id FROM docs WHERE body > 'short' ORDER BY id"),
                q("SELECT id FROM docs WHERE body = (SELECT body FROM drafts WHERE id = 3) ORDER BY id"),
                q("SELECT id FROM docs WHERE body == (SELECT body FROM drafts WHERE id = 3) ORDER BY id"),
                q("SELECT id FROM docs WHERE body <> 'short 6' ORDER BY id"),
                q("SELECT id FROM docs WHERE body != 'short 6' AND body IS NOT NULL ORDER BY id"),
                // IS, IS NOT, IS [NOT] DISTINCT FROM, with literals, columns and parameters (jOOQ renders so)
                q("SELECT id FROM docs WHERE body IS ? ORDER BY id", "short 6"),
                q("SELECT id FROM docs WHERE body IS NOT ? ORDER BY id", "short 6"),
                q("SELECT id FROM docs WHERE body IS ? ORDER BY id", (Object) null),
                q("SELECT id FROM docs WHERE (body IS NOT ?) AND (meta IS ?) ORDER BY id", null, null),
                q("SELECT id FROM docs WHERE body IS 'short 6' OR meta IS NOT NULL ORDER BY id"),
                q("SELECT id FROM docs d WHERE d.body IS (SELECT body FROM drafts WHERE id = d.id) ORDER BY id"),
                // IS applies the column's TEXT affinity to a number, as = does: '10' IS 10
                q("SELECT id, body IS 10, body IS NOT 10.0, 10 IS body, body = 10 FROM docs WHERE body IS 10"
                        + " OR body IS ? ORDER BY id", 10),
                q("SELECT id FROM docs WHERE body IS NOT ? AND body IS NOT DISTINCT FROM body ORDER BY id", 10),
                q("SELECT id, body IS DISTINCT FROM 10, body IS NOT DISTINCT FROM ?, body IN (10, 11), body == 10"
                        + " FROM docs ORDER BY id", 10),
                q("SELECT id FROM docs WHERE body IS DISTINCT FROM ? ORDER BY id", "short 6"),
                q("SELECT id, CASE body WHEN 10 THEN 'ten' WHEN 'short 6' THEN 'six' END FROM docs ORDER BY id"),
                q("SELECT id, CASE ? WHEN 1 THEN 10 ELSE 'x' END = body, body BETWEEN CASE WHEN ? THEN 9 END AND meta"
                        + " FROM docs ORDER BY id", 1, 1),
                q("SELECT 10 IN (SELECT body FROM docs), '10' IN (SELECT body FROM docs), 10 = (SELECT body FROM docs"
                        + " WHERE id = 10)"),
                q("SELECT id FROM docs WHERE n / 10 + 9 IN (SELECT body FROM docs) ORDER BY id"),
                // a sub-query computing its result gives it no affinity: the TEXT column's converts a number it
                // yields (sqllogictest's select1: c > (SELECT avg(c) FROM t1) on a TEXT column)
                q("SELECT id FROM docs WHERE body > (SELECT avg(n) FROM docs) ORDER BY id"),
                q("SELECT id, body = (SELECT 5 + 5), (SELECT max(n) / 11 FROM docs) = body, body IN ((SELECT 10))"
                        + " FROM docs ORDER BY id"),
                q("SELECT id FROM docs d WHERE body = (SELECT d.n / 10 FROM tags WHERE tags.doc_id = d.id)"
                        + " OR body < (SELECT ? + 1) ORDER BY id", 5),
                q("SELECT id, body = (SELECT n FROM docs WHERE id = 1), body = (SELECT CAST(10 AS TEXT)),"
                        + " body = (SELECT label FROM tags WHERE id = 1) FROM docs ORDER BY id"),
                q("SELECT id, body IN (SELECT 10), body IN (SELECT n / 10 FROM docs), body NOT IN (SELECT max(n) / 11"
                        + " FROM docs), body IN (SELECT ? UNION SELECT 5) FROM docs ORDER BY id", 10),
                q("SELECT d.id FROM docs d WHERE body IN (SELECT d.n / 10 FROM tags WHERE doc_id = d.id ORDER BY 1"
                        + " LIMIT 1) OR body NOT IN (WITH p(v) AS (SELECT 11) SELECT v FROM p) ORDER BY 1"),
                // x IN t and x IN (SELECT * FROM t): compared with t's only column, with its TEXT affinity
                q("SELECT 10 IN bodies, 10 NOT IN bodies, '10' IN bodies, 11 IN bodies, 10.0 IN bodies"),
                q("SELECT 10 IN (SELECT * FROM bodies), 10 NOT IN (SELECT * FROM bodies), 10 IN (SELECT b.* FROM"
                        + " bodies b)"),
                q("SELECT id FROM docs WHERE n / 10 IN bodies OR n / 10 - 1 IN (SELECT * FROM bodies) ORDER BY id"),
                q("SELECT id FROM docs WHERE body IS NOT DISTINCT FROM ? ORDER BY id", "short 6"),
                q("SELECT id, body IS NULL, body IS NOT NULL, meta ISNULL, meta NOTNULL, meta NOT NULL"
                        + " FROM docs ORDER BY id"),
                q("SELECT id FROM docs WHERE meta NOT NULL AND body NOTNULL ORDER BY id"),
                q("SELECT id FROM docs WHERE body ISNULL OR meta ISNULL ORDER BY id"),
                q("SELECT id, body IS TRUE, meta IS NOT FALSE, n IS TRUE FROM docs ORDER BY id"),
                // LIKE, GLOB, REGEXP and MATCH (the last two have no function in SQLite by default)
                q("SELECT id FROM docs WHERE body LIKE '%T1%' ORDER BY id"),
                q("SELECT id FROM docs WHERE (body COLLATE NOCASE) < 11 OR (body) = 10 ORDER BY id"),
                // a sub-query's or CTE's column that is a compressed TEXT column keeps that column's affinity
                q("SELECT x, y FROM (SELECT length(d.body) / 100 AS x, body AS y FROM docs d) s WHERE x < y OR y = 10"
                        + " ORDER BY 1, 2"),
                q("WITH s(x, y) AS (SELECT n / 10 - 1, body FROM docs) SELECT x, y, y > x, x IN (y) FROM s ORDER BY 1, 2"),
                q("WITH c AS (SELECT id, body FROM docs), e(i, b) AS (SELECT id, body FROM docs) SELECT c.id FROM c"
                        + " JOIN e ON e.i = c.id WHERE c.body = 10 OR b IN (10, 11) OR c.body < ? ORDER BY 1", 5),
                q("SELECT id FROM docs WHERE body NOT LIKE '%t1%' ORDER BY id"),
                q("SELECT id FROM docs WHERE body LIKE '%\\_%' ESCAPE '\\' ORDER BY id"),
                q("SELECT id FROM docs WHERE body GLOB '*t1*' ORDER BY id"),
                q("SELECT id FROM docs WHERE body GLOB ? ORDER BY id", "*café*"),
                q("SELECT id FROM docs WHERE body NOT GLOB '*T1*' AND meta GLOB '*agent-[12]*' ORDER BY id"),
                q("SELECT id, body GLOB '*b1*', glob('*t2*', body), like('%t2%', body) FROM docs ORDER BY id"),
                q("SELECT id FROM docs WHERE body REGEXP 't1' ORDER BY id"),
                q("SELECT id FROM docs WHERE body MATCH 't1' ORDER BY id"),
                // BETWEEN, IN, EXISTS, CASE, CAST, COLLATE
                q("SELECT id FROM docs WHERE body BETWEEN '{\"type\":\"t1' AND '{\"type\":\"t2' ORDER BY id"),
                q("SELECT id FROM docs WHERE body NOT BETWEEN ? AND ? ORDER BY id", "{\"type\":\"t1", "{\"type\":\"t2"),
                q("SELECT id FROM docs WHERE body IN ('short 6', ?) ORDER BY id", body(3)),
                q("SELECT id FROM docs WHERE body NOT IN ('short 6', ?) ORDER BY id", body(3)),
                q("SELECT id FROM docs WHERE body IN (SELECT body FROM drafts) ORDER BY id"),
                q("SELECT id FROM docs WHERE body NOT IN (SELECT body FROM drafts WHERE body IS NOT NULL) ORDER BY id"),
                q("SELECT id FROM docs WHERE body IN () ORDER BY id"),
                q("SELECT id FROM docs WHERE (id, body) IN (SELECT id, body FROM drafts) ORDER BY id"),
                q("SELECT id FROM docs WHERE (n, body) = (30, ?) ORDER BY id", body(3)),
                q("SELECT id FROM docs d WHERE EXISTS (SELECT 1 FROM drafts r WHERE r.body = d.body) ORDER BY id"),
                q("SELECT id FROM docs d WHERE NOT EXISTS (SELECT 1 FROM drafts r WHERE r.body = d.body) ORDER BY id"),
                q("SELECT id, CASE WHEN body LIKE '%t1%' THEN 'one' WHEN body GLOB '*t2*' THEN 'two' ELSE meta END,"
                        + " CASE body WHEN 'short 6' THEN 6 ELSE 0 END, CASE WHEN meta IS ? THEN 1 END FROM docs"
                        + " ORDER BY id", (Object) null),
                q("SELECT id, CAST(body AS BLOB), CAST(substr(body, 1, 12) AS TEXT), CAST(body ->> '$.n' AS INTEGER),"
                        + " CAST(data AS TEXT), CAST(length(body) AS REAL), CAST(n AS NUMERIC) FROM docs ORDER BY id"),
                q("SELECT id FROM docs WHERE body COLLATE NOCASE LIKE '%LOREM%' AND meta = meta COLLATE BINARY"
                        + " ORDER BY body COLLATE RTRIM, id"),
                q("SELECT id, body COLLATE NOCASE = upper(body) FROM docs ORDER BY id"),
                // literals
                q("SELECT id, X'00ff', 0x1F, 1e3, .5, TRUE, FALSE, NULL, 'it''s', \"key\", `n`, [body] FROM docs"
                        + " WHERE id < 4 ORDER BY id"),
                q("SELECT id, typeof(CURRENT_DATE), typeof(CURRENT_TIME), typeof(CURRENT_TIMESTAMP) FROM docs"
                        + " WHERE body IS NOT NULL ORDER BY id LIMIT 2"),
                // functions: scalar, aggregate (DISTINCT, ORDER BY, FILTER), JSON
                q("SELECT id, substr(json_extract(body, '$.type'), 1, 2), substr(CAST(body AS BLOB), 2),"
                        + " substring(coalesce(body, meta), 3, 4) FROM docs ORDER BY id"),
                q("SELECT id, substr(body, 2, 10), instr(body, 'ipsum'), replace(body, 'Lorem', 'L'), trim(meta, '{}'),"
                        + " coalesce(body, meta, 'none'), ifnull(body, '-'), nullif(body, 'short 6'), iif(body GLOB '*9*',"
                        + " 1, 0), hex(substr(data, 1, 8)), length(data), quote(substr(body, 1, 5)), unicode(body),"
                        + " printf('%.8s|%d', body, n), format('%s', substr(meta, 1, 9)) FROM docs ORDER BY id"),
                q("SELECT count(body), count(DISTINCT body), max(body), min(meta), group_concat(substr(body, 1, 9), ';'),"
                        + " string_agg(substr(meta, 1, 9), ',' ORDER BY meta DESC), total(length(data)) FROM docs"),
                q("SELECT count(*) FILTER (WHERE body GLOB '*t1*'), sum(n) FILTER (WHERE meta IS NOT NULL),"
                        + " avg(length(body)) FILTER (WHERE body NOT NULL) FROM docs"),
                q("SELECT id, json_extract(body, '$.tags[1]'), json_type(body, '$.nested'), json_valid(body),"
                        + " json_array_length(body, '$.tags'), json_set(meta, '$.weight', 0) ->> 'weight',"
                        + " json_object('b', json(body)) ->> '$.b.n', json_quote(substr(body, 1, 5)) FROM docs ORDER BY id"),
                q("SELECT json_group_array(body ->> 'n'), json_group_object(key, body ->> 'type') FROM docs"
                        + " WHERE body NOTNULL"),
                q("SELECT id, (body, n) < (?, 50), EXISTS (SELECT 1 FROM drafts r WHERE r.body = d.body),"
                        + " CASE WHEN body BETWEEN 'a' AND '{' THEN body GLOB '*t2*' END IS NULL FROM docs d ORDER BY id", "{"),
                q("SELECT id FROM docs WHERE body LIKE ? ESCAPE ? AND n IN (VALUES (10), (30), (70)) ORDER BY id",
                        "%!_%", "!"),
                // the lexer: keywords inside strings, quoted names and comments stay as they are; lines are kept
                q("SELECT id, 'x GLOB y IS ?' AS \"IS NOT GLOB\", [body] IS\n'short 6' FROM docs -- IS ? GLOB\n"
                        + "WHERE /* NOT NULL */ meta NOT\nNULL AND body\tNOT\tGLOB '*''*' ORDER BY id"),
                q("SELECT id, body IS NOT\r\n? FROM docs WHERE meta\nNOT NULL ORDER BY id", "short 6"),
                // parameters: anonymous, numbered, named
                q("SELECT id FROM docs WHERE body LIKE ?1 OR meta LIKE ?1 OR n = ?2 ORDER BY id", "%t2%", 30),
                q("SELECT id FROM docs WHERE body LIKE ?2 AND n > ?1 ORDER BY id", 20, "%Lorem%"),
                q("SELECT id FROM docs WHERE body LIKE :pattern OR n = :n ORDER BY id", "%café%", 30),
                q("SELECT id FROM docs WHERE body GLOB @pattern AND body IS NOT @other ORDER BY id", "*t1*", "x"),
                q("SELECT id FROM docs WHERE body LIKE $pattern OR meta IS $meta ORDER BY id", "%t0%", null),
                q("SELECT id, ? || substr(body, 1, 8), :x FROM docs WHERE body IS NOT ? ORDER BY id", "p", "q", "r"));
    }

    static Stream<Arguments> selects() {
        return Stream.of(
                q("SELECT ALL body FROM docs ORDER BY id"),
                q("SELECT DISTINCT body ->> 'type', substr(meta, 1, 20) FROM docs ORDER BY 1, 2"),
                q("SELECT DISTINCT body FROM drafts ORDER BY body"),
                q("SELECT * FROM docs ORDER BY id"),
                q("SELECT d.*, t.label FROM docs AS d INNER JOIN tags AS t ON t.doc_id = d.id ORDER BY d.id"),
                q("SELECT d.id, r.id FROM docs d LEFT OUTER JOIN drafts r ON r.body = d.body ORDER BY 1, 2"),
                q("SELECT d.id, r.id FROM docs d RIGHT JOIN drafts r ON r.body = d.body ORDER BY 1, 2"),
                q("SELECT d.id, r.id FROM docs d FULL OUTER JOIN drafts r ON r.body = d.body ORDER BY 1, 2"),
                q("SELECT d.id, t.id FROM docs d CROSS JOIN tags t WHERE t.doc_id = d.id AND d.body GLOB '*t1*'"
                        + " ORDER BY 1"),
                q("SELECT d.id, r.id FROM docs d, drafts r WHERE d.body IS r.body ORDER BY 1, 2"),
                // USING and NATURAL joins on columns that hold no compressed values; * leaves the right copy out
                q("SELECT * FROM docs JOIN tags USING (id) ORDER BY id"),
                q("SELECT DISTINCT * FROM docs JOIN tags USING (id) WHERE body NOT NULL ORDER BY 1"),
                q("SELECT * FROM docs NATURAL JOIN tags WHERE body GLOB '*t1*' ORDER BY id"),
                q("SELECT d.*, t.*, id FROM docs d LEFT JOIN tags t USING (id) WHERE d.body LIKE '%t2%' ORDER BY id"),
                q("SELECT * FROM docs d JOIN drafts r USING (key) ORDER BY d.id, r.id"),
                q("SELECT key, d.body, r.body FROM docs d JOIN drafts r USING (key) WHERE d.body IS NOT r.body"
                        + " ORDER BY d.id, r.id"),
                q("SELECT d.id FROM docs d JOIN (tags t JOIN drafts r ON r.id = t.id) ON t.doc_id = d.id"
                        + " WHERE r.body IS NOT d.body ORDER BY 1"),
                q("SELECT id FROM docs INDEXED BY docs_n WHERE n > 20 AND body GLOB '*t1*' ORDER BY id"),
                q("SELECT id FROM docs NOT INDEXED WHERE n > 20 AND body NOT NULL ORDER BY id"),
                q("SELECT d.id FROM main.docs AS d INDEXED BY docs_n WHERE d.n IS ? ORDER BY id", 30),
                q("SELECT d.id FROM docs d NOT INDEXED JOIN tags t NOT INDEXED ON t.doc_id = d.id"
                        + " WHERE d.body LIKE '%t2%' ORDER BY 1"),
                q("SELECT n, count(*), max(body), group_concat(key) FROM docs WHERE n IS NOT NULL GROUP BY n % 20"
                        + " HAVING max(body) GLOB '*t*' ORDER BY 1"),
                q("SELECT body ->> 'type' AS type, count(*) FROM docs GROUP BY type HAVING count(*) > 1 ORDER BY type"),
                q("SELECT id, body FROM docs ORDER BY body DESC NULLS FIRST, id"),
                q("SELECT id, meta FROM docs ORDER BY meta ASC NULLS LAST, id"),
                q("SELECT id, body FROM docs ORDER BY body IS NULL, length(body) DESC, id LIMIT 3"),
                q("SELECT id, body FROM docs ORDER BY id LIMIT 3 OFFSET 2"),
                q("SELECT id, body FROM docs ORDER BY id LIMIT 2, 3"),
                q("SELECT id, body FROM docs ORDER BY id LIMIT ? OFFSET ?", 2, 1),
                q("SELECT id, body FROM docs ORDER BY id LIMIT -1 OFFSET 10"),
                // window functions: OVER, named windows, frames, FILTER
                q("SELECT id, row_number() OVER (ORDER BY body, id), rank() OVER (PARTITION BY body ->> 'type'"
                        + " ORDER BY length(body)), lag(body) OVER (ORDER BY id), lead(substr(meta, 1, 9), 2, 'none')"
                        + " OVER (ORDER BY id) FROM docs ORDER BY id"),
                q("SELECT id, first_value(body) OVER w, last_value(key) OVER w, nth_value(body, 2) OVER w FROM docs"
                        + " WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) ORDER BY id"),
                q("SELECT id, count(*) FILTER (WHERE body GLOB '*t1*') OVER (ORDER BY id ROWS UNBOUNDED PRECEDING),"
                        + " sum(length(body)) OVER (PARTITION BY n IS NULL ORDER BY id RANGE BETWEEN UNBOUNDED PRECEDING"
                        + " AND CURRENT ROW EXCLUDE NO OTHERS) FROM docs ORDER BY id"),
                q("SELECT id, group_concat(key, ',') OVER (w ORDER BY body GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW"
                        + " EXCLUDE CURRENT ROW) FROM docs WINDOW w AS (PARTITION BY body ->> 'type') ORDER BY id"),
                q("SELECT id, ntile(3) OVER win, percent_rank() OVER win, cume_dist() OVER win, dense_rank() OVER win"
                        + " FROM docs WINDOW win AS (ORDER BY meta NULLS FIRST) ORDER BY id"),
                // CTEs
                q("WITH c AS (SELECT id, body FROM docs WHERE body GLOB '*t1*') SELECT id, body FROM c ORDER BY id"),
                q("WITH c(i, b) AS MATERIALIZED (SELECT id, body FROM docs) SELECT i, length(b) FROM c WHERE b IS ?"
                        + " ORDER BY i", body(4)),
                q("WITH c AS NOT MATERIALIZED (SELECT id, body FROM docs) SELECT id FROM c WHERE body NOT NULL"
                        + " ORDER BY id"),
                q("WITH RECURSIVE n(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM n WHERE i < 5)"
                        + " SELECT i, substr(d.body, i, 3) FROM n JOIN docs d ON d.id = n.i ORDER BY i"),
                q("WITH RECURSIVE chain(id, body) AS (SELECT id, body FROM docs WHERE id = 1 UNION"
                        + " SELECT d.id, d.body FROM docs d JOIN chain c ON d.id = c.id + 2) SELECT id, body FROM chain"
                        + " ORDER BY id"),
                q("WITH a AS (SELECT body FROM docs), b AS (SELECT body FROM drafts) SELECT count(*) FROM a"
                        + " WHERE body IN b"),
                // compound selects and VALUES
                q("SELECT body FROM docs UNION SELECT body FROM drafts ORDER BY 1"),
                q("SELECT id FROM docs WHERE body IN (SELECT body FROM drafts UNION SELECT 'short 6') ORDER BY id"),
                q("SELECT id, max(body) OVER (), min(meta) OVER (PARTITION BY n % 20) FROM docs ORDER BY id"),
                q("SELECT body FROM docs ORDER BY 1 COLLATE NOCASE DESC, id LIMIT (SELECT 2) OFFSET (SELECT 1)"),
                q("SELECT id, body AS b FROM docs ORDER BY b COLLATE RTRIM, id"),
                // a bare ORDER BY name is a result column first: an alias or a column of * (and never ambiguous)
                q("SELECT d.*, 1 FROM docs d, drafts r WHERE r.id < 3 ORDER BY (body COLLATE NOCASE), key, 1, r.id"),
                q("SELECT DISTINCT d.* FROM docs d JOIN drafts r ON r.key = d.key ORDER BY body DESC, 1"),
                q("SELECT key AS body, body AS key FROM docs ORDER BY body, key"),
                q("SELECT body FROM docs UNION ALL SELECT body FROM drafts ORDER BY 1 LIMIT 5"),
                q("SELECT body FROM docs INTERSECT SELECT body FROM drafts ORDER BY 1"),
                q("SELECT body FROM docs EXCEPT SELECT body FROM drafts ORDER BY 1"),
                q("SELECT key, body FROM docs WHERE id = 2 UNION ALL VALUES ('v', 'w'), (?, ?)", "x", "y"),
                q("VALUES (1, 'a'), (2, (SELECT body FROM docs WHERE id = 2))"),
                q("SELECT * FROM (VALUES (1), (3)) v JOIN docs d ON d.id = v.column1 ORDER BY 1"),
                // sub-queries, IN a table or table-valued function
                q("SELECT id, (SELECT count(*) FROM drafts r WHERE r.body = d.body) FROM docs d ORDER BY id"),
                q("SELECT s.id, s.b FROM (SELECT id, body AS b FROM docs WHERE body GLOB '*b1*') AS s ORDER BY 1"),
                q("SELECT id FROM docs WHERE body IN drafts ORDER BY id"),
                q("SELECT id FROM docs WHERE body IN main.drafts ORDER BY id"),
                q("SELECT id FROM docs WHERE body IN bodies ORDER BY id"),
                q("SELECT id FROM docs WHERE body NOT IN main.bodies ORDER BY id"),
                q("SELECT id, body IN [bodies] FROM docs ORDER BY id"),
                q("SELECT d.id, j.key, j.value, j.type FROM docs d, json_each(d.body) j WHERE j.type <> 'object'"
                        + " ORDER BY 1, 2"),
                q("SELECT d.id, j.fullkey, j.atom FROM docs AS d JOIN json_tree(d.body, '$.nested') AS j"
                        + " ORDER BY 1, 2"),
                q("SELECT d.id FROM docs d WHERE 'b3' IN (SELECT value FROM json_each(d.body, '$.tags')) ORDER BY 1"),
                q("SELECT json_each.value, docs.id FROM docs, json_each(docs.body, '$.tags') ORDER BY 2, 1"),
                q("SELECT * FROM docs d, json_each(d.body, '$.tags') ORDER BY d.id, json_each.id"),
                q("SELECT * FROM (SELECT id AS i, body FROM docs WHERE body GLOB '*t1*') s JOIN drafts r ON r.id = s.i"
                        + " ORDER BY 1"),
                q("SELECT d.id, x.* FROM docs d JOIN (SELECT id, body FROM drafts) x ON x.id = d.id ORDER BY 1"),
                q("SELECT id FROM docs WHERE n IN json_each('[10, 30]') ORDER BY id"),
                q("SELECT value FROM generate_series(1, 3)"),
                q("SELECT id, body FROM docs WHERE rowid = 2 OR _rowid_ = 3 OR oid = 4 ORDER BY id"),
                q("SELECT body, count(*) FROM docs GROUP BY 1 HAVING body NOT GLOB '*t1*' ORDER BY 1"),
                q("SELECT *, body, docs.* FROM docs WHERE rowid IN (SELECT rowid FROM docs ORDER BY body LIMIT 3)"
                        + " ORDER BY id"),
                q("WITH c AS (SELECT * FROM docs) SELECT * FROM c WHERE body LIKE '%t1%' ORDER BY id"),
                q("SELECT c.* FROM (SELECT * FROM docs WHERE body NOTNULL) c ORDER BY c.id"),
                q("SELECT body ->> '$.n' AS x FROM docs WHERE x > 3 ORDER BY x"),
                q("SELECT (SELECT body FROM docs d2 WHERE d2.id = d.id + 1), iif(body IS NULL, meta, body),"
                        + " json_group_array(body) OVER (ORDER BY id ROWS 1 PRECEDING) FROM docs d ORDER BY id"),
                q("SELECT body AS b FROM docs UNION ALL SELECT body FROM drafts ORDER BY b LIMIT 5"),
                q("SELECT body FROM docs UNION VALUES ('x'), (?) ORDER BY 1", "10"),
                q("SELECT count(*) FROM docs WHERE body = meta OR meta > body"),
                // a number BETWEEN bounds of mixed affinity, one a compressed TEXT column: each comparison its own
                q("SELECT id, 10 BETWEEN body AND n, ? NOT BETWEEN n AND body, abs(-3) BETWEEN meta AND 5,"
                        + " length(key) BETWEEN body AND id FROM docs ORDER BY id", 25),
                q("SELECT id FROM docs d WHERE 10 BETWEEN d.body AND 10.0 OR CASE WHEN n > 50 THEN n END NOT BETWEEN"
                        + " n AND meta ORDER BY id"),
                q("SELECT id FROM docs WHERE ?1 BETWEEN body AND ?2 AND ?2 BETWEEN ?1 AND meta ORDER BY id", 10, 100),
                // BETWEEN as SQLite delimits it: bounds of many tokens (the parser looks 11 ahead for a comparison
                // in each), and an operator of BETWEEN's precedence after the upper bound, which takes the whole BETWEEN
                q("SELECT id, body BETWEEN '{' AND (meta || 'a' || 'b' || 'c' || 'd'), n BETWEEN 1 AND (n + n * - n"
                        + " * - 1), body NOT BETWEEN coalesce(meta, 'a' || 'b' || 'c') AND '}' FROM docs ORDER BY id"),
                q("SELECT id FROM docs WHERE body BETWEEN (n + n + n + n + n) AND '{' || meta || 'x' || 'y' ORDER BY id"),
                q("SELECT id, body BETWEEN '{' AND meta = 1, 10 BETWEEN body AND n = 0, body NOT BETWEEN 'a' AND '{'"
                        + " IS 1, ? BETWEEN body AND 99 <> 1, NOT body BETWEEN 'a' AND meta == 0 FROM docs ORDER BY id",
                        25),
                // SQLite keeps no parentheses: (?), (abs(id)), (+CAST(…)) take a TEXT column's affinity as bare
                q("SELECT id, body < (?), body > (abs(id)), body >= (+ CAST(n AS INTEGER)), (body) BETWEEN"
                        + " ( + CAST ( + ( + n ) AS INTEGER ) ) AND ( + n + id ) FROM docs ORDER BY id", 25),
                // a = b < c is a = (b < c); (…) ISNULL is the test, not an alias
                q("SELECT id, body = n > 5, n < 50 <> body, meta != (body >= 'a') IS NOT 0 FROM docs ORDER BY id"),
                q("SELECT id, (lower(body)) ISNULL, (body || 'a') NOTNULL, (meta) NOT NULL FROM docs ORDER BY id"),
                // operators of BETWEEN's precedence in a row apply from the left; EXISTS as any operator's operand
                q("SELECT id, body = meta IS NULL, meta IS NULL = 0, body LIKE '{%' = 1, n = n LIKE 1 IN (1),"
                        + " key = key NOT IN (0), n = id BETWEEN 0 AND 1, body ISNULL <> 0, meta NOT NULL = 1"
                        + " FROM docs ORDER BY id"),
                // an operator binding tighter than IS after IS NULL makes it IS of an operand: x IS (NULL >= y)
                q("SELECT id, body IS NULL >= n, meta IS NOT NULL < body, body IS NULL || 'a', n IS TRUE + 1,"
                        + " meta IS NOT FALSE * 2, body IS NULL COLLATE nocase FROM docs WHERE body IS NOT NULL >= 0"
                        + " ORDER BY id"),
                q("SELECT id FROM docs d WHERE NOT body = meta IS NOT NULL OR (SELECT body FROM drafts r WHERE r.id"
                        + " = d.id) IN ('0') = 0 IS NOT 1 ORDER BY id"),
                q("SELECT id, body < EXISTS (SELECT 1), EXISTS (SELECT 1 FROM drafts r WHERE r.body = d.body) IS NULL,"
                        + " EXISTS (SELECT 1) + 1 = body, meta IS NOT DISTINCT FROM EXISTS (SELECT 2) FROM docs d"
                        + " ORDER BY id"),
                // a truth value wrapped twice at one place: its own conversion inside, the comparison's outside
                q("SELECT id, abs(n) NOT BETWEEN 1 AND body <> body, ? BETWEEN meta AND 99 = body FROM docs"
                        + " ORDER BY id", 25),
                // a truth value compared with a compressed TEXT column takes its affinity: 1 or 0 becomes '1' or '0'
                q("SELECT body, body < (1 > 0), body BETWEEN 0 AND (body IS NOT NULL), body <= NOT 0,"
                        + " body = (1 IN (1)), body < (EXISTS (SELECT 1)), body BETWEEN 0 AND 9 < 10, body >= (body NOTNULL),"
                        + " body <= (body IS TRUE), body > (NOT EXISTS (SELECT 1)), body = (NOT body) FROM bodies"
                        + " ORDER BY body"),
                // a function of the row compared with a compressed TEXT column: TEXT affinity converts its number
                q("SELECT id, body = abs(id), meta IS length(key), body > length(meta), CASE WHEN n > 30 THEN n"
                        + " ELSE key END = body, body IN (abs(id), 'short 6') FROM docs ORDER BY id"),
                q("SELECT id FROM docs d WHERE d.body = abs(d.id) OR iif(n > 60, n, key) IS body ORDER BY id"),
                // LIMIT (SELECT … FROM …) OFFSET …, a sub-query with COLLATE, columns named window and unbounded
                q("SELECT body FROM docs ORDER BY 1 LIMIT (SELECT count(*) FROM tags WHERE label GLOB 'r*')"
                        + " OFFSET (SELECT 1)"),
                q("SELECT id FROM docs ORDER BY body LIMIT (SELECT count(*) FROM drafts WHERE body GLOB '*t1*'), 2"),
                q("SELECT id FROM docs ORDER BY id LIMIT 3 OFFSET (SELECT count(*) FROM drafts WHERE body GLOB '*t1*')"),
                q("SELECT id, (SELECT body FROM drafts r WHERE r.id = d.id) COLLATE NOCASE AS b FROM docs d"
                        + " ORDER BY b, id"),
                q("SELECT id FROM docs d WHERE (SELECT body FROM drafts r WHERE r.id = d.id) COLLATE NOCASE > body"
                        + " ORDER BY id"),
                q("SELECT d.id, ((SELECT body FROM drafts r WHERE r.id = d.id) COLLATE NOCASE), (SELECT body FROM"
                        + " drafts r WHERE r.id = d.id) COLLATE NOCASE IS upper(body) FROM docs d ORDER BY d.id"),
                q("SELECT id, window, unbounded FROM frames WHERE window GLOB '*t1*' OR unbounded = 'short'"
                        + " ORDER BY unbounded, id"),
                q("SELECT f.window, window || '!', count(*) OVER win, first_value(unbounded) OVER (ORDER BY window"
                        + " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM frames f"
                        + " WINDOW win AS (ORDER BY f.unbounded ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
                        + " ORDER BY 1"),
                q("SELECT window, unbounded FROM frames WHERE window IN (SELECT window FROM frames WHERE id > 3)"
                        + " ORDER BY id"),
                // columns named like keywords of other dialects (the parser's), beside the same words as SQLite's
                q("SELECT id, uuid, only, current, left, output FROM words WHERE uuid GLOB '*t1*' OR only > current"
                        + " ORDER BY id"),
                q("SELECT w.id, CASE WHEN w.id > 3 THEN left ELSE output END, CASE only WHEN current THEN 1 ELSE 0"
                        + " END FROM words w LEFT OUTER JOIN docs d ON d.id = w.id WHERE d.body IS NOT left ORDER BY 1"),
                q("SELECT count(*) OVER (ORDER BY current ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),"
                        + " uuid AS only FROM words ORDER BY 2"),
                q("SELECT id, true, false, \"true\", true = uuid FROM words WHERE true > output OR uuid IS NOT NULL"
                        + " ORDER BY id"),
                // columns named LIKE, FOR and WITH: SQLite's keywords that it also reads as names
                q("SELECT id, like, for, with FROM keywords WHERE like LIKE '%t1%' OR for NOT LIKE with OR NOT like"
                        + " IS NULL ORDER BY id"),
                q("WITH with AS (SELECT with, for FROM keywords) SELECT with, length(for) FROM with WHERE for > with"
                        + " ORDER BY 1"),
                q("SELECT k.like, count(for), max(k.with) FROM keywords k GROUP BY k.like ORDER BY like"),
                // BY right before IS, which takes an operand on its left, names a column
                q("SELECT id, by FROM keywords WHERE by IS NOT NULL AND by IS NOT like AND for IS NOT by ORDER BY by"));
    }

    static Stream<Arguments> reads() {
        return Stream.concat(expressions(), selects());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("reads")
    void readsAnswerAsWithoutCompression(String sql, Object[] parameters) {
        Object expected = outcome(off, OFF, sql, parameters);
        assertThat(outcome(auto, AUTO, sql, parameters)).isEqualTo(expected);
        assertRewrittenNotMadePlain(sql);
    }

    /**
     * The reads run on the shared database: each must be answered by rewriting, not by returning its columns to plain
     * storage (the escape hatch for what the rewriter cannot account for), which would leave later cases nothing
     * compressed to read.
     */
    private static void assertRewrittenNotMadePlain(String what) {
        try {
            assertThat(CompressDb.catalog(auto)).as("still compressed after %s", what).contains("docs.body",
                    "docs.meta", "docs.data", "drafts.body", "bodies.body", "frames.window", "frames.unbounded",
                    "words.uuid", "words.only", "words.current", "words.left", "words.output", "keywords.like",
                    "keywords.for", "keywords.with", "keywords.by");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Random expressions from the same grammar, seeded: operands (columns of compressed and plain tables, literals
     * of every type, functions, CASE, CAST, sub-queries) combined by every operator, as result columns and WHERE
     * conditions. A documented refusal is allowed (and counted); different rows never are.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L})
    void randomExpressionsAnswerAsWithoutCompression(long seed) {
        Random random = new Random(seed);
        List<String> different = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 120; i++) {
            String sql = "SELECT d.id, " + operand(random, 2) + ", " + predicate(random, 2) + " FROM docs d WHERE "
                    + predicate(random, 2) + " ORDER BY d.id";
            Object expected = outcome(off, OFF, sql);
            Object actual = outcome(auto, AUTO, sql);
            if (String.valueOf(actual).startsWith("error: Cannot run this statement on compressed columns")) {
                refused++;
            } else if (!actual.equals(expected)) {
                different.add(sql + "\n   expected " + abbreviate(expected) + "\n   but was  " + abbreviate(actual));
            }
        }
        assertThat(different).as("seed %d, %d refused", seed, refused).isEmpty();
        assertThat(refused).as("seed %d: nothing SQLite accepts is refused", seed).isZero();
        assertRewrittenNotMadePlain("seed " + seed);
    }

    /**
     * Random BETWEENs as SQLite delimits them: bounds of every operand shape and length (a chain of operators, a
     * condition in parentheses), and an operator of BETWEEN's precedence after the upper bound, which compares the
     * whole BETWEEN. Every one is rewritten (none refused, none run on plain columns) and answers as without
     * compression.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 4L, 5L})
    void randomBetweensAnswerAsWithoutCompression(long seed) {
        assertRandomConditionsAnswerAsWithoutCompression(seed, SqliteGrammarTest::between);
    }

    /**
     * 60 statements with a random expression as a result column and in WHERE: every one rewritten (none refused,
     * none run on plain columns), each answering as without compression.
     */
    private static void assertRandomConditionsAnswerAsWithoutCompression(long seed,
            Function<Random, String> expression) {
        Random random = new Random(seed);
        List<String> different = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String sql = "SELECT d.id, " + expression.apply(random) + " FROM docs d WHERE " + expression.apply(random)
                    + " OR d.id > 8 ORDER BY d.id";
            Object expected = outcome(off, OFF, sql);
            Object actual = outcome(auto, AUTO, sql);
            if (!actual.equals(expected)) {
                different.add(sql + "\n   expected " + abbreviate(expected) + "\n   but was  " + abbreviate(actual));
            }
            assertRewrittenNotMadePlain(sql);
        }
        assertThat(different).as("seed %d", seed).isEmpty();
    }

    private static String between(Random random) {
        String between = operand(random, 1) + (random.nextBoolean() ? " NOT" : "") + " BETWEEN " + bound(random)
                + " AND " + bound(random);
        return switch (random.nextInt(6)) {
            case 0 -> between + " " + new String[] {"=", "==", "<>", "!=", "IS", "IS NOT"}[random.nextInt(6)] + " "
                    + new String[] {"1", "0", "NULL", "'1'", "d.n > 20"}[random.nextInt(5)];
            case 1 -> between + (random.nextBoolean() ? " NOT" : "") + " IN (0, '1')";
            case 2 -> between + " " + new String[] {"ISNULL", "NOTNULL", "IS NULL", "IS NOT TRUE"}[random.nextInt(4)];
            default -> between;
        };
    }

    private static String bound(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> operand(random, 0) + " || " + operand(random, 0) + " || " + operand(random, 0) + " || 'x'";
            case 1 -> "(d.n + " + operand(random, 0) + " * - 2 * - 1)";
            case 2 -> "(" + predicate(random, 1) + ")";
            case 3 -> operand(random, 0) + " " + new String[] {"<", ">="}[random.nextInt(2)] + " " + operand(random, 0);
            default -> operand(random, 2);
        };
    }

    /**
     * Random chains of operators of BETWEEN's precedence ({@code =}, {@code <>}, IS [NOT] [DISTINCT FROM], [NOT] IN,
     * [NOT] LIKE/GLOB, [NOT] BETWEEN, ISNULL, NOTNULL, NOT NULL), which SQLite applies from the left
     * ({@code x = y IS NULL} is {@code (x = y) IS NULL}), over operands holding {@code <}, {@code >=} (which bind
     * tighter) and EXISTS: every one rewritten, none run on plain columns, each answering as without compression.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21L, 22L, 23L, 24L, 25L})
    void randomOperatorChainsAnswerAsWithoutCompression(long seed) {
        assertRandomConditionsAnswerAsWithoutCompression(seed, SqliteGrammarTest::chain);
    }

    private static String chain(Random random) {
        StringBuilder chain = new StringBuilder(random.nextInt(4) == 0 ? "NOT " : "").append(chainOperand(random));
        for (int links = 2 + random.nextInt(3); links > 0; links--) {
            String not = random.nextBoolean() ? " NOT" : "";
            chain.append(switch (random.nextInt(7)) {
                case 0 -> " " + new String[] {"=", "==", "<>", "!="}[random.nextInt(4)] + " " + chainOperand(random);
                case 1 -> not + " IN (0, '1', " + operand(random, 0) + ")";
                case 2 -> not + " BETWEEN " + chainOperand(random) + " AND " + operand(random, 1);
                case 3 -> " " + new String[] {"ISNULL", "NOTNULL", "NOT NULL", "IS NULL", "IS NOT TRUE"}[random.nextInt(5)];
                case 4 -> random.nextBoolean()
                        ? not + " LIKE " + new String[] {"'1%'", "'%m%'", "0", "d.key"}[random.nextInt(4)]
                                + (random.nextBoolean() ? " ESCAPE '!'" : "")
                        : not + " GLOB " + new String[] {"'1*'", "'*m*'", "1", "d.key"}[random.nextInt(4)];
                case 5 -> " IS " + new String[] {"", "NOT ", "DISTINCT FROM ", "NOT DISTINCT FROM "}[random.nextInt(4)]
                        + chainOperand(random);
                default -> " " + new String[] {"=", "<>"}[random.nextInt(2)] + " " + chainOperand(random);
            });
        }
        return chain.toString();
    }

    private static String chainOperand(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> operand(random, 0) + " " + new String[] {"<", ">=", ">"}[random.nextInt(3)] + " "
                    + operand(random, 0);
            case 1 -> "EXISTS (SELECT 1 FROM drafts r WHERE r.body = d.body)";
            default -> operand(random, 1);
        };
    }

    /** Random clauses around random expressions: DISTINCT, joins, GROUP BY/HAVING, aliases, ORDER BY, LIMIT. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L})
    void randomQueryShapesAnswerAsWithoutCompression(long seed) {
        Random random = new Random(seed);
        List<String> different = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 80; i++) {
            // joined columns are renamed so that the bare names the operands use stay unambiguous
            String drafts = "(SELECT id AS rid, key AS rkey, body AS rbody FROM drafts)";
            String join = new String[] {"", " JOIN " + drafts + " r ON r.rid = d.id", " LEFT JOIN tags t ON t.doc_id = d.id",
                " LEFT JOIN " + drafts + " r ON r.rbody = d.body", ", " + drafts + " r"}[random.nextInt(5)];
            String a = operand(random, 2);
            String b = operand(random, 1);
            String sql = switch (random.nextInt(4)) {
                case 0 -> "SELECT " + (random.nextBoolean() ? "DISTINCT " : "") + a + " AS x, " + b + " AS y FROM docs d"
                        + join + " WHERE " + predicate(random, 1) + " ORDER BY 1, 2" + (random.nextBoolean() ? " LIMIT 4"
                        : "");
                case 1 -> "SELECT " + a + ", count(*), max(" + b + "), group_concat(" + b + ", '|') FROM docs d" + join
                        + " GROUP BY 1" + (random.nextBoolean() ? " HAVING " + predicate(random, 1) : "")
                        + " ORDER BY 1";
                case 2 -> "SELECT x, y FROM (SELECT " + a + " AS x, " + b + " AS y FROM docs d" + join + ") s WHERE "
                        + "x " + COMPARISONS[random.nextInt(COMPARISONS.length)] + " y OR x IS NULL ORDER BY 1, 2";
                default -> "SELECT d.*, " + a + " FROM docs d" + join + " WHERE " + predicate(random, 1)
                        + " ORDER BY " + b + ", 1, 2, 3, 4, 5, 6, 7";
            };
            Object expected = outcome(off, OFF, sql);
            Object actual = outcome(auto, AUTO, sql);
            if (String.valueOf(actual).startsWith("error: Cannot run this statement on compressed columns")) {
                refused++;
            } else if (!actual.equals(expected)) {
                different.add(sql + "\n   expected " + abbreviate(expected) + "\n   but was  " + abbreviate(actual));
            }
        }
        assertThat(different).as("seed %d, %d refused", seed, refused).isEmpty();
        assertThat(refused).as("seed %d: nothing SQLite accepts is refused", seed).isZero();
        assertRewrittenNotMadePlain("seed " + seed);
    }

    private static final String[] COLUMNS = {"d.body", "body", "d.meta", "key", "d.n", "data", "meta"};
    private static final String[] LITERALS = {"'short 6'", "'10'", "10", "10.0", "NULL", "X'00ff'", "'Lorem%'",
        "'*t1*'", "'{\"type\":\"t1'", "-3", "''"};
    private static final String[] COMPARISONS = {"=", "==", "<>", "!=", "<", "<=", ">", ">=", "IS", "IS NOT",
        "IS DISTINCT FROM", "IS NOT DISTINCT FROM", "LIKE", "NOT LIKE", "GLOB", "NOT GLOB"};

    private static String operand(Random random, int depth) {
        int choice = random.nextInt(depth <= 0 ? 2 : 14);
        return switch (choice) {
            case 0 -> COLUMNS[random.nextInt(COLUMNS.length)];
            case 1 -> LITERALS[random.nextInt(LITERALS.length)];
            case 2 -> "length(" + operand(random, depth - 1) + ")";
            case 3 -> "substr(" + operand(random, depth - 1) + ", 1, 9)";
            case 4 -> operand(random, depth - 1) + " ->> '$.n'";
            case 5 -> "coalesce(" + operand(random, depth - 1) + ", " + operand(random, depth - 1) + ")";
            case 6 -> "iif(" + predicate(random, depth - 1) + ", " + operand(random, depth - 1) + ", "
                    + operand(random, depth - 1) + ")";
            case 7 -> "CAST(" + operand(random, depth - 1) + " AS "
                    + new String[] {"TEXT", "INTEGER", "BLOB", "REAL", "NUMERIC"}[random.nextInt(5)] + ")";
            case 8 -> "(" + operand(random, depth - 1) + " || " + operand(random, depth - 1) + ")";
            case 9 -> "CASE " + operand(random, depth - 1) + " WHEN " + operand(random, depth - 1) + " THEN 'a' ELSE "
                    + operand(random, depth - 1) + " END";
            case 10 -> "(SELECT body FROM drafts r WHERE r.id = d.id)";
            case 11 -> "upper(" + operand(random, depth - 1) + ")";
            case 12 -> "(" + operand(random, depth - 1) + " + 1)";
            default -> "(" + operand(random, depth - 1) + " COLLATE NOCASE)";
        };
    }

    private static String predicate(Random random, int depth) {
        int choice = random.nextInt(depth <= 0 ? 3 : 9);
        String x = operand(random, depth - 1);
        return switch (choice) {
            case 0 -> x + " " + COMPARISONS[random.nextInt(COMPARISONS.length)] + " " + operand(random, depth - 1);
            case 1 -> x + " " + new String[] {"ISNULL", "NOTNULL", "NOT NULL", "IS NULL", "IS NOT NULL"}[random.nextInt(5)];
            case 2 -> x + (random.nextBoolean() ? " NOT" : "") + " BETWEEN " + operand(random, 0) + " AND "
                    + operand(random, 0);
            case 3 -> x + (random.nextBoolean() ? " NOT" : "") + " IN (" + operand(random, 0) + ", "
                    + operand(random, 0) + ")";
            case 4 -> x + (random.nextBoolean() ? " NOT" : "") + " IN (SELECT body FROM drafts)";
            case 5 -> "NOT (" + predicate(random, depth - 1) + ")";
            case 6 -> "(" + predicate(random, depth - 1) + " AND " + predicate(random, depth - 1) + ")";
            case 7 -> "(" + predicate(random, depth - 1) + " OR " + predicate(random, depth - 1) + ")";
            default -> "EXISTS (SELECT 1 FROM drafts r WHERE r.body " + COMPARISONS[random.nextInt(COMPARISONS.length)]
                    + " " + x + ")";
        };
    }

    private static String abbreviate(Object outcome) {
        String text = String.valueOf(outcome);
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    // ---------------------------------------------------------------- writes

    static Stream<Arguments> writes() {
        String long1 = body(40);
        return Stream.of(
                q("INSERT INTO docs (key, body, meta) VALUES ('new', ?, ?)", long1, "m"),
                q("INSERT INTO docs VALUES (NULL, 'n2', ?1, ?1, 1, ?2)", long1, new byte[] {1, 2}),
                q("INSERT INTO docs (key, body) VALUES ('a', ?), ('b', 'short'), ('c', NULL)", long1),
                q("INSERT INTO main.docs AS x (key, body) VALUES (:key, :body)", "named", long1),
                q("INSERT INTO docs (key, body, meta) VALUES (?2, ?1, ?3)", long1, "numbered", long1),
                q("INSERT INTO docs (meta, key, body) VALUES (?3, ?1, ?2)", "k-" + long1, long1, new byte[] {1}),
                q("INSERT INTO docs (key, body) VALUES (?1, ?1)", long1),
                q("INSERT INTO docs (key, body, meta) VALUES (@k, $b, :m)", "k-named", long1, long1),
                q("INSERT INTO drafts (key, body) VALUES ((SELECT key FROM docs WHERE id = 1),"
                        + " (SELECT body FROM docs WHERE id = 1))"),
                q("UPDATE docs SET meta = body, body = meta, n = length(body) WHERE id < 5"),
                // a BETWEEN compared in an assignment: its left operand starts after SET's =
                q("UPDATE docs SET n = body BETWEEN 'a' AND '{' = 1, key = key || (meta = body = 0) WHERE id < 6"),
                q("INSERT INTO docs DEFAULT VALUES"),
                q("INSERT INTO docs (key, body, meta) SELECT 'copy-' || key, body, meta FROM docs WHERE body GLOB '*t1*'"),
                q("INSERT INTO drafts (key, body) SELECT key, body FROM docs WHERE body IS NOT NULL ORDER BY id LIMIT 3"),
                q("INSERT OR IGNORE INTO docs (key, body) VALUES ('k1', ?), ('fresh', ?)", long1, long1),
                q("INSERT OR REPLACE INTO docs (key, body) VALUES ('k2', ?)", long1),
                q("INSERT OR ABORT INTO docs (key, body) VALUES ('k3', ?)", long1),
                q("INSERT OR FAIL INTO docs (key, body) VALUES ('fail', ?)", long1),
                q("INSERT OR ROLLBACK INTO docs (key, body) VALUES ('rb', ?)", long1),
                q("REPLACE INTO docs (key, body, meta) VALUES ('k4', ?, NULL)", long1),
                q("REPLACE INTO drafts (id, key, body) SELECT id, key, meta FROM docs WHERE meta NOT GLOB '*agent-1*'"),
                q("UPDATE docs SET body = (SELECT body FROM drafts WHERE drafts.id = docs.id + 1) WHERE body GLOB '*t0*'"),
                q("INSERT INTO docs (key, body) SELECT key || '-x', body FROM drafts WHERE true ON CONFLICT (key)"
                        + " DO UPDATE SET body = excluded.body || docs.body WHERE excluded.body IS NOT docs.body"),
                q("INSERT OR IGNORE INTO drafts (key, body) SELECT key, body FROM docs WHERE body NOT GLOB '*t1*'"),
                q("INSERT OR REPLACE INTO docs (id, key, body) SELECT id, key, body || '!' FROM docs WHERE id < 4"),
                // UPSERT
                q("INSERT INTO docs (key, body) VALUES ('k5', ?) ON CONFLICT (key) DO NOTHING", long1),
                q("INSERT INTO docs (key, body) VALUES ('k5', ?) ON CONFLICT DO NOTHING", long1),
                q("INSERT INTO docs (key, body) VALUES ('k6', ?), ('k7', 'short') ON CONFLICT (key) DO UPDATE SET"
                        + " body = excluded.body, meta = docs.body WHERE docs.body IS NOT excluded.body", long1),
                q("INSERT INTO docs (key, body) VALUES ('k8', ?) ON CONFLICT (key) WHERE 1 DO UPDATE SET"
                        + " body = body || excluded.body, n = n + 1 ON CONFLICT DO NOTHING", long1),
                q("INSERT INTO docs (key, body) SELECT key, body FROM drafts WHERE true ON CONFLICT (key) DO UPDATE"
                        + " SET body = excluded.body WHERE excluded.body GLOB '*t2*'"),
                // RETURNING
                q("INSERT INTO docs (key, body) VALUES ('ret', ?) RETURNING id, body, length(body), *", long1),
                q("INSERT INTO docs (key, body) VALUES ('k9', ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body"
                        + " RETURNING id, body AS b, meta ->> 'owner'", long1),
                q("UPDATE docs SET body = upper(body) WHERE body GLOB '*t1*' RETURNING id, body, substr(body, 1, 9)"),
                q("DELETE FROM docs WHERE body LIKE '%t2%' RETURNING *"),
                // UPDATE
                q("UPDATE docs SET body = body || ? WHERE body IS NOT ?", "!", "short 6"),
                q("UPDATE OR IGNORE docs SET key = 'k1', body = ? WHERE id = 2", long1),
                q("UPDATE OR REPLACE docs SET key = 'k1' WHERE id = 2"),
                q("UPDATE docs SET (body, meta) = (meta, body) WHERE id < 4"),
                q("UPDATE docs SET meta = r.body FROM (tags t JOIN drafts r ON r.id = t.id) WHERE t.doc_id = docs.id"
                        + " AND r.body IS NOT docs.body"),
                q("UPDATE docs SET meta = (SELECT body FROM drafts WHERE drafts.id = docs.id) WHERE meta NOTNULL"),
                q("UPDATE docs SET body = r.body, n = r.id FROM drafts r WHERE r.id = docs.id AND r.body GLOB '*t0*'"),
                q("UPDATE docs AS d SET meta = r.body FROM (SELECT id, body FROM drafts) AS r WHERE r.id = d.id"
                        + " AND d.body IS NOT r.body"),
                q("WITH c AS (SELECT id FROM docs WHERE body GLOB '*b1*') UPDATE docs SET n = -1 WHERE id IN c"),
                q("UPDATE docs INDEXED BY docs_n SET body = NULL WHERE n > 50"),
                q("UPDATE docs NOT INDEXED SET body = ?1 WHERE body ISNULL OR n IS ?2", long1, 30),
                q("UPDATE docs SET body = json_set(body, '$.n', 99) WHERE body ->> 'n' = 3"),
                q("UPDATE docs SET data = CAST(body AS BLOB) WHERE id = 3"),
                // DELETE
                q("DELETE FROM docs WHERE body GLOB '*t0*'"),
                q("DELETE FROM docs WHERE body IS ?", "short 6"),
                q("DELETE FROM main.docs AS d WHERE d.body IN (SELECT body FROM drafts)"),
                q("DELETE FROM docs INDEXED BY docs_n WHERE n >= 40 AND meta NOT NULL"),
                q("DELETE FROM docs NOT INDEXED WHERE body NOT LIKE '%Lorem%'"),
                q("DELETE FROM docs WHERE body NOTNULL ORDER BY body DESC LIMIT 2"),
                q("UPDATE docs SET n = 0 WHERE body NOT NULL ORDER BY body LIMIT 3 OFFSET 1"),
                q("UPDATE docs SET n = 0 WHERE body NOT NULL ORDER BY body LIMIT ?, ?;", 1, 2),
                q("INSERT INTO drafts (key, body) WITH c AS (SELECT key, body FROM docs WHERE body GLOB '*t2*')"
                        + " SELECT * FROM c"),
                q("INSERT INTO docs (key, body, meta) VALUES ('rv', ?, 'm') ON CONFLICT (key) DO UPDATE SET"
                        + " (body, meta) = (excluded.meta, excluded.body)", long1),
                q("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 3 FROM c WHERE i < 9)"
                        + " DELETE FROM docs WHERE id IN (SELECT i FROM c) AND body NOTNULL"),
                // RETURNING before ORDER BY … LIMIT, offsets that are expressions, columns named window/unbounded
                q("DELETE FROM docs WHERE body GLOB '*t1*' RETURNING id ORDER BY length(body) LIMIT 1"),
                q("UPDATE docs SET n = 1 WHERE body NOTNULL RETURNING id, body ORDER BY body LIMIT 2"),
                q("UPDATE docs SET meta = body WHERE id > 2 RETURNING meta, length(body)\n ORDER BY body DESC"
                        + " LIMIT ? OFFSET ?;", 3, 1),
                q("UPDATE docs SET n = 0 WHERE body NOT NULL ORDER BY body LIMIT 2 OFFSET 1 + 1"),
                q("DELETE FROM docs WHERE body NOTNULL ORDER BY body LIMIT 1 OFFSET (SELECT count(*) FROM drafts"
                        + " WHERE body GLOB '*t1*')"),
                q("UPDATE docs SET n = 0 WHERE body NOTNULL ORDER BY body LIMIT abs(-1), 2"),
                q("UPDATE frames SET window = unbounded, unbounded = window WHERE window GLOB '*t1*'"
                        + " RETURNING window, unbounded"),
                q("INSERT INTO frames (window, unbounded) SELECT body, meta FROM docs WHERE id < 4 RETURNING *"),
                q("DELETE FROM frames WHERE unbounded > window RETURNING window"),
                q("UPDATE words SET uuid = only, current = output WHERE left GLOB '*t1*' RETURNING uuid, current, true"),
                q("UPDATE keywords SET like = with, for = like WHERE with LIKE '%t1%' RETURNING like, for"),
                q("INSERT INTO words (uuid, only, current, left, output, \"true\") SELECT body, meta, key, body, body,"
                        + " body FROM docs WHERE id < 4 RETURNING id, only, true"),
                // several ON CONFLICT … DO UPDATE clauses
                q("INSERT INTO docs (key, body) VALUES ('k1', ?) ON CONFLICT (key) DO UPDATE SET body = excluded.body"
                        + " ON CONFLICT DO UPDATE SET meta = excluded.body", body(50)),
                q("INSERT INTO docs (id, key, body, meta) VALUES (2, 'k3', ?1, ?2), (20, 'k1', ?2, ?1) ON CONFLICT (key)"
                        + " DO UPDATE SET body = ?3 || excluded.body WHERE docs.body GLOB '*t1*' ON CONFLICT (id)"
                        + " DO UPDATE SET meta = body, body = excluded.meta WHERE meta IS NOT ?4 RETURNING id, body, meta",
                        body(53), body(54), "!", "x"),
                q("INSERT INTO docs (id, key, body) SELECT id, key || '-', body FROM drafts WHERE true ON CONFLICT (key)"
                        + " DO NOTHING ON CONFLICT (id) DO UPDATE SET body = excluded.body || docs.body WHERE"
                        + " excluded.body > docs.body ON CONFLICT DO UPDATE SET meta = excluded.body"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("writes")
    void writesLeaveTheSameTablesAsWithoutCompression(String sql, Object[] parameters) throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (Path source : new Path[] {off, auto}) {
            String settings = source == off ? OFF : AUTO;
            Path copy = dir.resolve(source.getFileName());
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            List<Object> results = new ArrayList<>();
            results.add(outcome(copy, settings, sql, parameters));
            try (Connection connection = CompressDb.open(copy, settings)) {
                for (String table : new String[] {"docs", "drafts", "tags", "bodies", "frames", "words", "keywords"}) {
                    results.add(CompressDb.rows(connection, "SELECT rowid, * FROM " + table + " ORDER BY rowid"));
                }
            }
            outcomes.add(results);
            EnhancedSqlite.shutdown();
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    // ---------------------------------------------------------------- indexes, views and triggers

    /**
     * CREATE INDEX, VIEW and TRIGGER over compressed columns: each statement, then reads through it and a long value
     * written after it, answer as without compression. The columns it reads are returned to plain storage first
     * (an index, view or trigger would see the stored envelopes), in the statement's transaction.
     */
    static Stream<Arguments> schemaObjects() {
        return Stream.of(
                Arguments.of("CREATE INDEX docs_body ON docs(body)",
                        "SELECT id, body FROM docs INDEXED BY docs_body WHERE body > '{\"type\":\"t1' ORDER BY body",
                        List.of("docs.body")),
                Arguments.of("CREATE UNIQUE INDEX IF NOT EXISTS main.\"drafts by body\" ON \"drafts\" (body, id)",
                        "SELECT id FROM drafts WHERE body >= '{\"type\":\"t2' ORDER BY body, id",
                        List.of("drafts.body")),
                Arguments.of("CREATE INDEX docs_owner ON docs(meta ->> '$.owner') WHERE length(body) > 300",
                        "SELECT id, meta ->> '$.owner' FROM docs WHERE length(body) > 300 AND meta ->> '$.owner'"
                                + " = 'agent-1' ORDER BY id",
                        List.of("docs.body", "docs.meta")),
                Arguments.of("CREATE VIEW long_docs AS SELECT d.id, d.body, r.body AS draft FROM docs d"
                                + " JOIN drafts r ON r.id = d.id WHERE length(d.body) > 300",
                        "SELECT id, body, draft, length(draft) FROM long_docs ORDER BY id",
                        List.of("docs.body", "docs.meta", "docs.data", "drafts.body")),
                Arguments.of("CREATE TRIGGER copy_tag AFTER INSERT ON tags BEGIN"
                                + " INSERT INTO drafts (key, body) SELECT key, body FROM docs WHERE id = new.doc_id; END",
                        "INSERT INTO tags (doc_id, label) VALUES (3, 'x'), (7, 'y')",
                        List.of("docs.body", "docs.meta", "docs.data", "drafts.body")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("schemaObjects")
    void indexesViewsAndTriggersOverCompressedColumnsAnswerAsWithoutCompression(String ddl, String use,
                                                                               List<String> madePlain) throws Exception {
        for (String transaction : new String[] {"auto-commit", "commit", "rollback"}) {
            List<Object> outcomes = new ArrayList<>();
            Path copy = null;
            for (Path source : new Path[] {off, auto}) {
                String settings = source == off ? OFF : AUTO;
                copy = dir.resolve(source.getFileName());
                Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
                List<Object> results = new ArrayList<>();
                try (Connection connection = CompressDb.open(copy, settings)) {
                    connection.setAutoCommit(transaction.equals("auto-commit"));
                    CompressDb.execute(connection, ddl);
                    results.add(outcome(connection, use));
                    CompressDb.update(connection, "INSERT INTO docs (key, body, meta) VALUES ('after', ?, ?)",
                            body(60), body(61));
                    if (transaction.equals("commit")) {
                        connection.commit();
                    } else if (transaction.equals("rollback")) {
                        connection.rollback();
                    }
                    connection.setAutoCommit(true);
                    results.add(outcome(connection, use));
                    for (String table : new String[] {"docs", "drafts", "tags", "bodies"}) {
                        results.add(CompressDb.rows(connection, "SELECT rowid, * FROM " + table + " ORDER BY rowid"));
                    }
                }
                EnhancedSqlite.shutdown();
                try (Connection connection = CompressDb.open(copy, settings)) {
                    results.add(outcome(connection, use)); // as a new pool learns it from the file
                }
                EnhancedSqlite.shutdown();
                outcomes.add(results);
            }
            assertThat(outcomes.get(1)).as(transaction).isEqualTo(outcomes.get(0));
            List<String> recorded = CompressDb.catalog(copy);
            if (transaction.equals("rollback")) {
                assertThat(recorded).as("a rollback keeps the record").containsAll(madePlain);
            } else {
                assertThat(recorded).as(transaction).doesNotContainAnyElementsOf(madePlain);
                try (Connection plain = CompressDb.plain(copy)) {
                    for (String column : madePlain) {
                        String[] name = column.split("\\.");
                        assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM " + name[0] + " WHERE typeof("
                                + name[1] + ") = 'blob' AND substr(" + name[1] + ", 1, 4) = X'EC45535A'"))
                                .as("%s stored plain (%s)", column, transaction).isZero();
                    }
                }
            }
        }
    }

    /**
     * What the rewriter cannot account for (JSqlParser has no place for it, restating it would move text, or its
     * rewrite would change an affinity or a declared type): the columns of the tables it names are returned to plain
     * storage first and it runs as written. Each answers as without compression — in auto-commit mode, in a
     * transaction that commits and in one that rolls back (which leaves the columns compressed) — and so do the same
     * statement run again after a long value was written, and every table and the schema afterwards.
     */
    static Stream<Arguments> notRewritable() {
        return Stream.of(
                // several ON CONFLICT … DO UPDATE clauses whose WHERE comes before a positional parameter
                q("INSERT INTO docs (id, key, body) VALUES (1, 'k2', ?) ON CONFLICT (key) DO UPDATE SET body = ?"
                        + " WHERE docs.body IS NOT ? ON CONFLICT DO UPDATE SET meta = ?", body(50), body(51), "x",
                        body(52)),
                q("INSERT INTO docs (id, key, body) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET body = ?"
                        + " WHERE docs.body GLOB ? ON CONFLICT (id) DO UPDATE SET meta = ? || excluded.body"
                        + " RETURNING id, body, meta", 3, "k1", body(55), body(56), "*t1*", "-"),
                // USING or NATURAL joins that compare compressed columns, and * over RIGHT/FULL such joins
                q("SELECT d.id FROM docs d JOIN drafts r USING (body) ORDER BY 1"),
                q("SELECT d.id, body, length(body) FROM docs d LEFT JOIN bodies USING (body) ORDER BY 1"),
                q("SELECT d.id FROM docs d NATURAL JOIN drafts r ORDER BY 1"),
                q("SELECT * FROM drafts NATURAL LEFT JOIN bodies ORDER BY 1"),
                q("SELECT docs.id, label FROM docs NATURAL JOIN (SELECT id, label FROM tags) t ORDER BY 1"),
                q("SELECT * FROM tags RIGHT JOIN docs USING (id) ORDER BY docs.id"),
                q("SELECT * FROM bodies FULL JOIN drafts USING (body) ORDER BY 1, 2"),
                q("SELECT * FROM drafts RIGHT JOIN bodies USING (body) ORDER BY 1, 2"),
                // CREATE TABLE … AS SELECT: the new table gets the values and declared types SQLite gives
                q("CREATE TABLE copied AS SELECT id, body, upper(meta) AS m FROM docs WHERE id < 5"),
                q("CREATE TEMP TABLE IF NOT EXISTS \"copied 2\" AS SELECT * FROM drafts"),
                // an aggregate compared with a compressed TEXT column
                q("SELECT key FROM docs GROUP BY key HAVING body <> count(*) ORDER BY 1"),
                q("SELECT n, max(body) = sum(n) FROM docs GROUP BY n HAVING body > total(n) ORDER BY 1"),
                // row values from a sub-select over compressed columns
                q("UPDATE docs SET (body, meta) = (SELECT body, key FROM drafts WHERE drafts.id = docs.id)"),
                q("SELECT id FROM docs WHERE (key, body) = (SELECT key, body FROM docs WHERE id = 3)"),
                q("SELECT id FROM drafts WHERE (key, body) IN (SELECT key, body FROM drafts WHERE id > 6) ORDER BY 1"),
                q("SELECT id, (body, id) > (SELECT body, 1 FROM drafts WHERE id = 2) FROM drafts ORDER BY 1"),
                q("DELETE FROM docs WHERE (body, meta) IN (SELECT body, meta FROM docs WHERE n > 40)"),
                // tables qualified main. (bare, quoted, in a column's name), beside a string that reads like one
                q("SELECT main.docs.id, r.key, 'main.docs' FROM main.docs JOIN \"main\".\"drafts\" AS r USING (body)"
                        + " WHERE main.docs.key <> 'main.drafts' ORDER BY 1, 2"),
                q("SELECT * FROM Main . drafts NATURAL LEFT JOIN main.bodies ORDER BY 1"),
                q("SELECT id FROM main.drafts WHERE (key, body) IN (SELECT key, body FROM \"main\".drafts"
                        + " WHERE id > 6) ORDER BY 1"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notRewritable")
    void whatTheRewriterCannotAccountForRunsOnPlainColumnsAndAnswersAsWithoutCompression(String sql,
            Object[] parameters) throws Exception {
        for (String transaction : new String[] {"auto-commit", "commit", "rollback"}) {
            List<Object> outcomes = new ArrayList<>();
            for (Path source : new Path[] {off, auto}) {
                String settings = source == off ? OFF : AUTO;
                Path copy = freshCopy(source);
                List<Object> results = new ArrayList<>();
                try (Connection connection = CompressDb.open(copy, settings)) {
                    connection.setAutoCommit(transaction.equals("auto-commit"));
                    results.add(outcome(connection, sql, parameters));
                    CompressDb.update(connection, "INSERT INTO docs (key, body, meta) VALUES ('after', ?, ?)",
                            body(60), body(61));
                    CompressDb.update(connection, "INSERT INTO drafts (key, body) VALUES ('after', ?)", body(62));
                    if (transaction.equals("commit")) {
                        connection.commit();
                    } else if (transaction.equals("rollback")) {
                        connection.rollback();
                    }
                    connection.setAutoCommit(true);
                    if (source == auto && transaction.equals("rollback")) {
                        assertThat(CompressDb.catalog(copy)).as("a rollback keeps the columns compressed")
                                .contains("docs.body", "drafts.body");
                    }
                    if (!sql.startsWith("CREATE")) {
                        results.add(outcome(connection, sql, parameters));
                    }
                    results.add(CompressDb.rows(connection, "SELECT type, name, sql FROM sqlite_schema WHERE"
                            + " instr(name, 'enhanced_sqlite') = 0 AND name NOT LIKE 'sqlite%' ORDER BY name"));
                    results.add(CompressDb.rows(connection, "SELECT type, name, sql FROM sqlite_temp_schema"
                            + " ORDER BY name"));
                    for (String table : tablesOf(connection)) {
                        results.add(CompressDb.rows(connection, "SELECT rowid, * FROM " + table
                                + " ORDER BY rowid"));
                    }
                }
                EnhancedSqlite.shutdown();
                outcomes.add(results);
            }
            assertThat(outcomes.get(1)).as(transaction).isEqualTo(outcomes.get(0));
        }
    }

    /**
     * The same statements on connections that cannot write — made read-only by {@code setReadOnly(true)}, in
     * auto-commit mode and in a transaction, and opened with {@code mode=ro} —, where the columns cannot be returned
     * to plain storage: each answers as without compression (a write as SQLite refuses it there), run twice, and
     * so do {@code changes()}, {@code total_changes()} and a read of every compressed column after it; no copy is
     * left in the temp schema and the file's stored values are as they were.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("notRewritable")
    void whatTheRewriterCannotAccountForAnswersAsWithoutCompressionOnConnectionsThatCannotWrite(String sql,
            Object[] parameters) throws Exception {
        for (String readOnly : new String[] {"setReadOnly", "setReadOnly in a transaction", "mode=ro"}) {
            List<Object> outcomes = new ArrayList<>();
            for (Path source : new Path[] {off, auto}) {
                String settings = source == off ? OFF : AUTO;
                Path copy = freshCopy(source);
                List<Object> stored = storedValues(copy);
                List<Object> results = new ArrayList<>();
                try (Connection connection = readOnly.equals("mode=ro")
                        ? java.sql.DriverManager.getConnection(CompressDb.PREFIX + "file:" + copy.toAbsolutePath()
                                + "?mode=ro" + (settings.isEmpty() ? "" : "&" + settings))
                        : CompressDb.open(copy, settings)) {
                    if (readOnly.startsWith("setReadOnly")) {
                        connection.setReadOnly(true);
                        connection.setAutoCommit(!readOnly.endsWith("transaction"));
                    }
                    results.add(outcome(connection, sql, parameters));
                    results.add(outcome(connection, sql, parameters));
                    results.add(outcome(connection, "SELECT changes(), total_changes()"));
                    results.add(outcome(connection, "SELECT id, key, body, meta, data FROM docs ORDER BY id"));
                    results.add(outcome(connection, "SELECT id, key, body FROM drafts ORDER BY id"));
                    results.add(outcome(connection, "SELECT type, name, sql FROM sqlite_temp_schema ORDER BY name"));
                    if (!connection.getAutoCommit()) {
                        connection.commit();
                    }
                }
                EnhancedSqlite.shutdown();
                outcomes.add(results);
                assertThat(storedValues(copy)).as("%s: the stored values are as they were", readOnly)
                        .isEqualTo(stored);
            }
            assertThat(outcomes.get(1)).as(readOnly).isEqualTo(outcomes.get(0));
        }
    }

    /** Every row of every table of the file as stored (envelopes as bytes), the driver's own tables included. */
    private static List<Object> storedValues(Path file) throws SQLException {
        List<Object> rows = new ArrayList<>();
        try (Connection plain = CompressDb.plain(file)) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement statement = plain.prepareStatement(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name");
                 ResultSet names = statement.executeQuery()) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            for (String table : tables) {
                rows.add(table);
                rows.add(CompressDb.rows(plain, "SELECT rowid, * FROM \"" + table + "\" ORDER BY rowid"));
            }
        }
        return rows;
    }

    /** A copy of one of the two shared databases, for a case that writes. */
    private Path freshCopy(Path source) throws java.io.IOException {
        Path copy = dir.resolve(source.getFileName());
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    /** The tables of the main and temp schemas, the driver's own left out, with a qualified name each. */
    private static List<String> tablesOf(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        for (String schema : new String[] {"main", "temp"}) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM " + schema
                    + ".sqlite_schema WHERE type = 'table' AND instr(name, 'enhanced_sqlite') = 0 AND name NOT LIKE 'sqlite%'"
                    + " ORDER BY name");
                 ResultSet names = statement.executeQuery()) {
                while (names.next()) {
                    tables.add(schema + ".\"" + names.getString(1).replace("\"", "\"\"") + "\"");
                }
            }
        }
        return tables;
    }

    /**
     * A TEMP view or trigger lives on one connection: the columns it reads are returned to plain storage and stay
     * plain while the pool is open, so a long value written afterwards, on that connection or another of the pool,
     * reads through it as without compression.
     */
    static Stream<Arguments> temporaryObjects() {
        return Stream.of(
                Arguments.of("CREATE TEMP VIEW recent AS SELECT id, body, length(meta) AS m FROM docs WHERE body NOT NULL",
                        "SELECT id, body, m, body > '{\"type\":\"t1' FROM recent ORDER BY body"),
                Arguments.of("CREATE VIEW temp.joined AS SELECT d.id, r.body FROM docs d JOIN drafts r ON r.body = d.body",
                        "SELECT * FROM joined ORDER BY 1"),
                Arguments.of("CREATE TEMP TRIGGER copy_body AFTER INSERT ON tags BEGIN"
                                + " INSERT INTO bodies (body) SELECT body FROM docs WHERE id = new.doc_id; END",
                        "INSERT INTO tags (doc_id, label) VALUES (3, 'x'), ((SELECT max(id) FROM docs), 'y')"),
                Arguments.of("CREATE TRIGGER temp.touch AFTER UPDATE ON docs BEGIN"
                                + " INSERT INTO tags (doc_id, label) VALUES (new.id, substr(new.body, 1, 20)); END",
                        "UPDATE docs SET n = n + 1 WHERE body GLOB '*t2*' OR key = 'after'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("temporaryObjects")
    void temporaryViewsAndTriggersOverCompressedColumnsAnswerAsWithoutCompression(String ddl, String use)
            throws Exception {
        List<Object> outcomes = new ArrayList<>();
        for (Path source : new Path[] {off, auto}) {
            String settings = source == off ? OFF : AUTO;
            Path copy = freshCopy(source);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(copy, settings)) {
                CompressDb.execute(connection, ddl);
                results.add(outcome(connection, use));
                try (Connection other = CompressDb.open(copy, settings)) { // another connection of the same pool
                    CompressDb.update(other, "INSERT INTO docs (key, body, meta) VALUES ('after', ?, ?)", body(60),
                            body(61));
                    CompressDb.update(other, "INSERT INTO drafts (key, body) VALUES ('after', ?)", body(60));
                }
                CompressDb.update(connection, "UPDATE docs SET body = ? WHERE id = 2", body(63));
                results.add(outcome(connection, use));
                for (String table : new String[] {"docs", "drafts", "tags", "bodies"}) {
                    results.add(CompressDb.rows(connection, "SELECT rowid, * FROM " + table + " ORDER BY rowid"));
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    }

    /**
     * A pool opened with {@code compress=off} on a file whose columns hold compressed values: CREATE INDEX, VIEW and
     * TRIGGER over them, and what the rewriter cannot account for, return them to plain storage just as a compressing
     * pool does (the record of compressed columns says which), so they answer as on a file that was never compressed.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"CREATE INDEX docs_body ON docs(body)",
        "CREATE VIEW long_docs AS SELECT id, body FROM docs WHERE length(body) > 300",
        "CREATE TRIGGER copy_tag AFTER INSERT ON tags BEGIN INSERT INTO drafts (key, body)"
                + " SELECT key, body FROM docs WHERE id = new.doc_id; END",
        "CREATE TEMP VIEW recent AS SELECT id, body FROM drafts",
        "CREATE TABLE copied AS SELECT id, body, meta FROM docs"})
    void aCompressOffPoolReturnsColumnsToPlainStorageBeforeDdlOverThem(String ddl) throws Exception {
        List<Object> outcomes = new ArrayList<>();
        Path copy = null;
        for (Path source : new Path[] {off, auto}) {
            copy = freshCopy(source);
            List<Object> results = new ArrayList<>();
            try (Connection connection = CompressDb.open(copy, OFF)) {
                results.add(outcome(connection, ddl));
                results.add(outcome(connection, "INSERT INTO tags (doc_id, label) VALUES (3, 'x')"));
                for (String table : tablesOf(connection)) {
                    results.add(CompressDb.rows(connection, "SELECT rowid, * FROM " + table + " ORDER BY rowid"));
                }
            }
            EnhancedSqlite.shutdown();
            outcomes.add(results);
        }
        assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
        String named = ddl.contains("docs") ? "docs" : "drafts";
        try (Connection plain = CompressDb.plain(copy)) {
            assertThat(CompressDb.queryLong(plain, "SELECT count(*) FROM " + named + " WHERE typeof(body) = 'blob'"
                    + " AND substr(body, 1, 4) = X'EC45535A'")).as("%s.body stored plain", named).isZero();
        }
        assertThat(CompressDb.catalog(copy)).doesNotContain(named + ".body");
    }

    // ---------------------------------------------------------------- helpers

    private static Arguments q(String sql, Object... parameters) {
        return Arguments.of(sql, parameters == null ? new Object[] {null} : parameters);
    }

    /**
     * What a statement gives: its result's labels and rows (each value with its Java type), or its update count,
     * or SQLite's error.
     */
    static Object outcome(Path file, String settings, String sql, Object... parameters) {
        try (Connection connection = CompressDb.open(file, settings)) {
            return outcome(connection, sql, parameters);
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }

    static Object outcome(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            CompressDb.bind(statement, parameters);
            if (!statement.execute()) {
                return "updated " + statement.getUpdateCount();
            }
            try (ResultSet result = statement.getResultSet()) {
                ResultSetMetaData meta = result.getMetaData();
                List<String> labels = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    labels.add(meta.getColumnLabel(i));
                }
                List<Object> rows = new ArrayList<>();
                rows.add(labels);
                rows.addAll(CompressDb.rows(result));
                return rows;
            }
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }
}
