package io.github.enhancedsqlite.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A decoded value as sqlite-jdbc holds it when it is stored plain: a one-row, one-column sqlite-jdbc result set of
 * {@code SELECT ?} with the original TEXT or BLOB bound, on the physical connection the value was read through.
 * Handing a getter this result set makes sqlite-jdbc's own code convert the value — with the connection's date
 * settings — so a compressed value converts exactly as the same value stored plain, by construction rather than by
 * a copy of sqlite-jdbc's rules.
 */
final class PlainValue implements AutoCloseable {

    /** The label of the value's column, for getters called by label. */
    static final String LABEL = "value";

    private final PreparedStatement select;
    private final ResultSet result;

    /** @param original a String (an original TEXT) or a byte[] (an original BLOB), as the codec decodes them */
    PlainValue(Connection sqlite, Object original) throws SQLException {
        select = sqlite.prepareStatement("SELECT ? AS " + LABEL);
        try {
            if (original instanceof String) {
                select.setString(1, (String) original);
            } else {
                select.setBytes(1, (byte[]) original);
            }
            result = select.executeQuery();
            result.next();
        } catch (SQLException | RuntimeException e) {
            select.close();
            throw e;
        }
    }

    /** The result set, positioned on its row; its value is column 1, labelled {@link #LABEL}. */
    ResultSet result() {
        return result;
    }

    @Override
    public void close() throws SQLException {
        try {
            result.close();
        } finally {
            select.close();
        }
    }
}
