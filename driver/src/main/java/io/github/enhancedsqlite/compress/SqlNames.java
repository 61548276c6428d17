package io.github.enhancedsqlite.compress;

import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.schema.Table;

/** How the rewriter reads and writes SQLite names: quoted forms, brackets, the name a table is known by. */
final class SqlNames {

    private SqlNames() {
    }

    /** SQLite also quotes identifiers as [name], which the parser keeps. */
    static String unbracket(String name) {
        return name.length() > 1 && name.charAt(0) == '[' && name.charAt(name.length() - 1) == ']'
                ? name.substring(1, name.length() - 1) : name;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * The table's name as SQLite reads it: {@code "t"}, {@code `t`} and {@code [t]} all name {@code t}. JSqlParser
     * keeps the quotes in {@code getName()}, and a quoted name that missed the schema would skip the rewrite.
     */
    static String tableName(Table table) {
        return unbracket(table.getUnquotedName());
    }

    /** The name a table is referred to by in the rest of the statement: its alias, or its name. */
    static String alias(Table table) {
        Alias alias = table.getAlias();
        return alias != null ? unbracket(alias.getUnquotedName()) : tableName(table);
    }
}
