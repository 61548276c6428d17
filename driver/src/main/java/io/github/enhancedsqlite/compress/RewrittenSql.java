package io.github.enhancedsqlite.compress;

/**
 * A statement as it is run when some column it touches may hold compressed values.
 *
 * @param sql              the SQL to run: the original text with reads of compressed columns wrapped in
 *                         {@value SqlRewriter#DECOMPRESS}
 * @param compressTargets  by 1-based parameter index, the column a parameter is stored into when that column
 *                         takes compressed values; null entries elsewhere; null when no parameter is
 * @param escapeTargets    likewise, the column a parameter is stored into when that column may hold compressed
 *                         values but takes no new ones (compress=off): a BLOB that begins like an envelope is
 *                         escaped on binding; null when no parameter is
 * @param decodedResults   by 1-based result column, the compressed column it shows bare, decoded by the result
 *                         set's getters; null when there are none
 * @param copiedInto       columns that receive stored envelopes as they are (SET a = b between compressed
 *                         columns), to be recorded as compressed; empty when none
 * @param madePlain        columns a CREATE INDEX, VIEW or TRIGGER reads: returned to plain storage before it runs
 *                         ({@link Compression#makePlain}); empty when none
 */
public record RewrittenSql(String sql, ColumnRef[] compressTargets, ColumnRef[] escapeTargets, ColumnRef[] decodedResults,
                           java.util.Set<ColumnRef> copiedInto, java.util.Set<ColumnRef> madePlain) {

    static RewrittenSql unchanged(String sql) {
        return new RewrittenSql(sql, null, null, null, java.util.Set.of(), java.util.Set.of());
    }

    static RewrittenSql makingPlain(String sql, java.util.Set<ColumnRef> columns) {
        return new RewrittenSql(sql, null, null, null, java.util.Set.of(), java.util.Set.copyOf(columns));
    }

    /** The same statement, with more columns returned to plain storage before it runs. */
    RewrittenSql alsoMakingPlain(java.util.Set<ColumnRef> columns) {
        java.util.Set<ColumnRef> all = new java.util.LinkedHashSet<>(madePlain);
        all.addAll(columns);
        return new RewrittenSql(sql, compressTargets, escapeTargets, decodedResults, copiedInto, java.util.Set.copyOf(all));
    }

    /** The same statement, run as {@code text}. */
    RewrittenSql running(String text) {
        return new RewrittenSql(text, compressTargets, escapeTargets, decodedResults, copiedInto, madePlain);
    }

    public ColumnRef compressTarget(int parameterIndex) {
        return compressTargets != null && parameterIndex < compressTargets.length ? compressTargets[parameterIndex] : null;
    }

    public ColumnRef escapeTarget(int parameterIndex) {
        return escapeTargets != null && parameterIndex < escapeTargets.length ? escapeTargets[parameterIndex] : null;
    }

    public boolean decodes(int column) {
        return decodedColumn(column) != null;
    }

    /** The compressed column a result column shows bare, or null. */
    public ColumnRef decodedColumn(int column) {
        return decodedResults != null && column > 0 && column < decodedResults.length ? decodedResults[column] : null;
    }

    public boolean decodesAny() {
        return decodedResults != null;
    }
}
