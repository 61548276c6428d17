package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

import io.github.enhancedsqlite.sql.SqlLexer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rewriter reads {@code temp.t} and an attached database's {@code aux.t} as {@code t}, so values written into them
 * are stored compressed as {@code t}'s are. Where the connection can write, the escape hatch makes those columns plain
 * with {@code t}'s ({@link PlainStorage}); where it cannot, {@link ShadowTables} decodes copies of main's tables and
 * the connection's own {@code temp.t} in place (its temp schema is writable there), but not an attached {@code aux.t}:
 * a statement that also reads such a table (a USING join of the two, say) would compare decoded values with
 * envelopes and answer otherwise than without compression. Such a statement is refused, naming the table and the
 * remedy, rather than answered wrongly.
 */
final class EnvelopesElsewhere {

    private EnvelopesElsewhere() {
    }

    /**
     * @param schemas    {@link #otherSchemas}, read once for the statement
     * @param readCopied the attached tables the statement reads through decoded copies (schema to lower-case names)
     */
    static void refuse(Connection sqlite, List<String> schemas, String sql, TableInfo table, Set<ColumnRef> columns,
                       java.util.Map<String, Set<String>> readCopied) throws SQLException {
        for (String schema : schemas) {
            Set<String> copied = readCopied.getOrDefault(schema, Set.of());
            if (schema.equalsIgnoreCase("temp") || copied.contains(table.name().toLowerCase(java.util.Locale.ROOT))
                    || !named(sql, schema, table.name(), false)) {
                continue; // the connection's own temp.t is decoded in place (ShadowTables.cover), aux.t copied
            }
            if (holdsEnvelope(sqlite, schema, table.name(), columns)) {
                throw new SQLFeatureNotSupportedException("On a connection that cannot write, this statement reads "
                        + table.name() + "'s compressed columns through a decoded copy, and also " + schema + "."
                        + table.name() + ", whose values were stored compressed as " + table.name() + "'s are and"
                        + " cannot be decoded beside it: write the join with ON (or run it where the connection can"
                        + " write): " + sql, "0A000");
            }
        }
    }

    /** The schemas besides main: temp and the attached databases. */
    static List<String> otherSchemas(Connection sqlite) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement statement = sqlite.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM pragma_database_list WHERE name <> 'main'")) {
            while (rows.next()) {
                schemas.add(rows.getString(1));
            }
        }
        return schemas;
    }

    /** Whether the statement names {@code schema.table}, or (the temp schema's own table) {@code table} bare. */
    private static boolean named(String sql, String schema, String table, boolean bareToo) {
        SqlLexer lexer = new SqlLexer(sql);
        boolean afterSchemaDot = false;
        boolean afterSchema = false;
        boolean afterDot = false;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            boolean name = kind == SqlLexer.Kind.WORD || kind == SqlLexer.Kind.NAME;
            if (name && lexer.names(table) && (afterSchemaDot || bareToo && !afterDot)) {
                return true;
            }
            afterSchemaDot = afterSchema && lexer.is(".");
            afterDot = lexer.is(".");
            afterSchema = name && lexer.names(schema);
        }
        return false;
    }

    /** Whether {@code schema.table} holds an envelope in one of the columns (false where it has no such column). */
    static boolean holdsEnvelope(Connection sqlite, String schema, String table, Set<ColumnRef> columns) {
        StringBuilder where = new StringBuilder();
        for (ColumnRef column : columns) {
            where.append(where.length() == 0 ? "" : " OR ").append(StoredFormat.isEnvelope(quote(column.column())));
        }
        try (Statement statement = sqlite.createStatement();
                ResultSet found = statement.executeQuery("SELECT 1 FROM " + quote(schema) + "." + quote(table)
                        + " WHERE " + where + " LIMIT 1")) {
            return found.next();
        } catch (SQLException e) {
            return false; // no such table or column there: nothing it could hold
        }
    }
}
