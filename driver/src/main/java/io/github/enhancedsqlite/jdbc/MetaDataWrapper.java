package io.github.enhancedsqlite.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Database metadata whose {@link #getConnection()} is the connection the application holds. Everything else,
 * including the product name "SQLite" that frameworks pick their dialect by, is sqlite-jdbc's own.
 */
final class MetaDataWrapper extends ForwardingDatabaseMetaData {

    private final ConnectionWrapper connection;

    MetaDataWrapper(DatabaseMetaData delegate, ConnectionWrapper connection) {
        super(delegate);
        this.connection = connection;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    /** The driver's own tables (compression metadata) are not the application's: listings leave them out. */
    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        return new OwnTablesHidden(delegate.getTables(catalog, schemaPattern, tableNamePattern, types));
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        T unwrapped = delegate.unwrap(iface);
        connection.sqliteHandedOut(); // its getConnection() is sqlite-jdbc's connection
        return unwrapped;
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
