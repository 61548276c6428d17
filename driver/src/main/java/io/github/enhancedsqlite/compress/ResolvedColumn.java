package io.github.enhancedsqlite.compress;

/**
 * The table column a reference means, as SQLite resolves it.
 *
 * @param compressed whether the column may hold compressed values, so reading it must decompress
 */
record ResolvedColumn(Source source, String column, boolean compressed) {
}
