package io.github.enhancedsqlite.compress;

/**
 * A statement as it is run when some column it touches may hold compressed values.
 *
 * @param sql              the SQL to run: the original text with reads of compressed columns wrapped in
 *                         {@value SqlRewriter#DECOMPRESS}
 * @param compressTargets  by 1-based parameter index, the column a parameter is stored into when that column
 *                         takes compressed values; null entries elsewhere; null when no parameter is
 * @param decodedResults   1-based result columns that are bare compressed columns, decoded by the result set's
 *                         getters; null when there are none
 */
public record RewrittenSql(String sql, ColumnRef[] compressTargets, boolean[] decodedResults) {

    static RewrittenSql unchanged(String sql) {
        return new RewrittenSql(sql, null, null);
    }

    public ColumnRef compressTarget(int parameterIndex) {
        return compressTargets != null && parameterIndex < compressTargets.length ? compressTargets[parameterIndex] : null;
    }

    public boolean decodes(int column) {
        return decodedResults != null && column < decodedResults.length && decodedResults[column];
    }

    public boolean decodesAny() {
        return decodedResults != null;
    }
}
