package io.github.enhancedsqlite.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Database metadata whose {@link #getConnection()} is the connection the application holds, and whose listings lead
 * back to it too: sqlite-jdbc's own listings answer {@code getStatement().getConnection()} with sqlite-jdbc's
 * connection, which would let a tool run statements past the writer turn and the reset on close. Everything else,
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

    @Override
    SQLException checkException(SQLException error) {
        return connection.checkException(error);
    }

    /**
     * The listing's statement is wrapped so that it leads to the application's connection and runs what it is given
     * under the connection's rules. It is not one of the lease's statements: sqlite-jdbc closes it with the listing.
     */
    @Override
    ResultSet wrapResultSet(ResultSet listing) throws SQLException {
        if (listing == null) {
            return null;
        }
        Statement statement = listing.getStatement();
        return new ResultSetWrapper(listing, statement == null ? null : new ListingStatement(statement, connection),
                connection, null);
    }

    /**
     * sqlite-jdbc closes the statement of some listings (imported and exported keys, index info) before it returns
     * them, and its closed statement still answers getConnection(); so does this one, with the application's.
     */
    private static final class ListingStatement extends StatementWrapper {

        ListingStatement(Statement listing, ConnectionWrapper connection) {
            super(listing, connection);
        }

        @Override
        public Connection getConnection() {
            return connection;
        }
    }

    /** The driver's own tables (compression metadata) are not the application's: listings leave them out. */
    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        try {
            return wrapResultSet(new OwnTablesHidden(delegate.getTables(catalog, schemaPattern, tableNamePattern, types)));
        } catch (SQLException e) {
            throw checkException(e);
        }
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
