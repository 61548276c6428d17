package io.github.enhancedsqlite.compress;

import static io.github.enhancedsqlite.compress.SqlNames.quote;

/**
 * How a read of a column that may hold compressed values is spelled in SQL: the value itself unless it is a BLOB,
 * which goes through {@value SqlRewriter#DECOMPRESS} with the column's name (and, where the table has one, the rowid)
 * for the error a damaged envelope raises.
 */
final class DecompressCall {

    private DecompressCall() {
    }

    /**
     * The original value of a column reference. Only a BLOB can be an envelope, so only BLOBs go through
     * {@value SqlRewriter#DECOMPRESS}: everything else stays in SQLite as it is (TEXT that is not valid UTF-8
     * included, which a Java function could not hand back unchanged).
     */
    static String of(String written, Source source, String column) {
        // a column named window followed by END AS reads to SQLite as a WINDOW clause: quoted, it is the column
        String columnText = written.matches("(?is).*(?<![\\w\"`\\]])window") && written.length() >= 6
                ? written.substring(0, written.length() - 6) + '"' + written.substring(written.length() - 6) + '"'
                : written;
        String where = "'" + (source.table.name() + "." + column).replace("'", "''") + "'";
        String call = source.excluded || !source.table.hasRowid()
                ? SqlRewriter.DECOMPRESS + "(" + columnText + ", " + where + ")"
                : SqlRewriter.DECOMPRESS + "(" + columnText + ", " + where + ", " + quote(source.qualifier())
                        + ".rowid)";
        return "CASE WHEN typeof(" + columnText + ") = 'blob' THEN " + call + " ELSE " + columnText + " END";
    }
}
