package io.github.enhancedsqlite.compress;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What is known of a database's schema at one moment: the tables read so far and the names that views and
 * triggers mention. Never changed: learning a table makes a new snapshot of the same generation, and DDL replaces
 * it with an empty one of the next generation. Whatever was derived from a snapshot (a cached rewrite) carries its
 * generation, so it is never used once the schema it was read from is gone.
 *
 * @param generation                 counts the DDL this driver ran on the database
 * @param tables                     by lower-case name, the tables read under this generation
 * @param mentionedByViewsOrTriggers lower-case words of every view's and trigger's SQL; null until read
 */
record SchemaSnapshot(long generation, Map<String, TableInfo> tables, Set<String> mentionedByViewsOrTriggers) {

    static final SchemaSnapshot FIRST = new SchemaSnapshot(0, Map.of(), null);

    /** The snapshot that follows DDL: nothing known yet. */
    SchemaSnapshot next() {
        return new SchemaSnapshot(generation + 1, Map.of(), null);
    }

    SchemaSnapshot withTable(String key, TableInfo table) {
        Map<String, TableInfo> more = new HashMap<>(tables);
        more.put(key, table);
        return new SchemaSnapshot(generation, Map.copyOf(more), mentionedByViewsOrTriggers);
    }

    /** With tables read together, and the names views and triggers mention if they were not known yet. */
    SchemaSnapshot withTables(Map<String, TableInfo> read, Set<String> mentioned) {
        Map<String, TableInfo> more = new HashMap<>(tables);
        more.putAll(read);
        return new SchemaSnapshot(generation, Map.copyOf(more),
                mentionedByViewsOrTriggers != null ? mentionedByViewsOrTriggers : Set.copyOf(mentioned));
    }

    SchemaSnapshot withMentions(Set<String> mentioned) {
        return new SchemaSnapshot(generation, tables, Set.copyOf(mentioned));
    }
}
