package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.StoredFormat;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A table listing without the driver's own tables and Litestream's, so schema validation and migration tools never
 * see them.
 */
final class OwnTablesHidden extends ForwardingResultSet {

    OwnTablesHidden(ResultSet tables) {
        super(tables);
    }

    /** The wrapper around this listing passes its errors to the connection. */
    @Override
    SQLException checkException(SQLException error) {
        return error;
    }

    @Override
    public boolean next() throws SQLException {
        while (delegate.next()) {
            String name = delegate.getString("TABLE_NAME");
            if (!StoredFormat.isOwnTable(name) && !StoredFormat.isLitestreamTable(name)) {
                return true;
            }
        }
        return false;
    }
}
