package io.github.enhancedsqlite.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The metadata of a result set with decoded columns. sqlite-jdbc derives a column's JDBC type and class from the
 * type of the current row's value, which for a compressed TEXT value is the BLOB it is stored as; here such a
 * column is described as sqlite-jdbc describes TEXT. Everything else, and BLOB originals (stored as BLOBs too),
 * is sqlite-jdbc's answer. Like sqlite-jdbc's, the answers follow the result set's current row.
 */
final class DecodedMetaData implements ResultSetMetaData {

    private final ResultSetMetaData delegate;
    private final ResultSetWrapper result;

    DecodedMetaData(ResultSetMetaData delegate, ResultSetWrapper result) {
        this.delegate = delegate;
        this.result = result;
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        if (!result.holdsCompressedText(column)) {
            return delegate.getColumnType(column);
        }
        // sqlite-jdbc's mapping for a TEXT value, by the column's type name
        switch (getColumnTypeName(column)) {
            case "CHARACTER", "NCHAR", "NATIVE CHARACTER", "CHAR":
                return Types.CHAR;
            case "CLOB":
                return Types.CLOB;
            case "DATE":
                return Types.DATE;
            case "DATETIME", "TIMESTAMP":
                return Types.TIMESTAMP;
            default:
                return Types.VARCHAR;
        }
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        String name = delegate.getColumnTypeName(column);
        // with no declared type, sqlite-jdbc names the value's type: TEXT, not the BLOB it is stored as
        if ("BLOB".equals(name) && result.holdsCompressedText(column) && !result.declaresType(column)) {
            return "TEXT";
        }
        return name;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return result.holdsCompressedText(column) ? String.class.getName() : delegate.getColumnClassName(column);
    }

    @Override
    public int getColumnCount() throws SQLException {
        return delegate.getColumnCount();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        return delegate.isAutoIncrement(column);
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return delegate.isCaseSensitive(column);
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        return delegate.isSearchable(column);
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        return delegate.isCurrency(column);
    }

    @Override
    public int isNullable(int column) throws SQLException {
        return delegate.isNullable(column);
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return delegate.isSigned(column);
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        return delegate.getColumnDisplaySize(column);
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return delegate.getColumnLabel(column);
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return delegate.getColumnName(column);
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return delegate.getSchemaName(column);
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        return delegate.getPrecision(column);
    }

    @Override
    public int getScale(int column) throws SQLException {
        return delegate.getScale(column);
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return delegate.getTableName(column);
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        return delegate.getCatalogName(column);
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        return delegate.isReadOnly(column);
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        return delegate.isWritable(column);
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        return delegate.isDefinitelyWritable(column);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
