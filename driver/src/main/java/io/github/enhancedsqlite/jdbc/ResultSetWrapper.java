package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.Envelope;
import io.github.enhancedsqlite.compress.RewrittenSql;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;

/**
 * A result set whose {@link #getStatement()} is the statement the application holds. For result columns that
 * are bare compressed columns (see {@link RewrittenSql#decodes}), every value getter returns the original value;
 * all other columns, and every column of a statement that touches no compressed column, go straight through.
 */
final class ResultSetWrapper extends ForwardingResultSet {

    private final Statement statement;
    /** Which columns to decode; null when none. */
    private final RewrittenSql decoding;
    private final Codec codec;

    ResultSetWrapper(ResultSet delegate, Statement statement, RewrittenSql decoding, Codec codec) {
        super(delegate);
        this.statement = statement;
        this.decoding = decoding;
        this.codec = codec;
    }

    @Override
    public Statement getStatement() throws SQLException {
        if (delegate.isClosed()) {
            throw new SQLException("ResultSet is closed", "HY010");
        }
        return statement;
    }

    /** Closes the result set; later calls through this reference fail as on any closed result set. */
    @Override
    public void close() throws SQLException {
        ResultSet current = delegate;
        delegate = Closed.RESULT_SET;
        current.close();
    }

    /**
     * Cuts this reference off without closing what it forwarded to: sqlite-jdbc hands the same result set object
     * to the statement's next execution, which must not show through a result set the application got before.
     */
    void detach() {
        delegate = Closed.RESULT_SET;
    }

    // ------------------------------------------------------------ decoding

    private boolean decodes(int column) {
        return decoding != null && decoding.decodes(column);
    }

    /** The original value of a decoded column: a String, a byte[], another SQLite value, or null. */
    private Object original(int column) throws SQLException {
        Object stored = delegate.getObject(column);
        if (stored instanceof byte[] && Envelope.looksLikeEnvelope((byte[]) stored)) {
            String where = "in result column " + column + " (" + delegate.getMetaData().getColumnName(column)
                    + ") of row " + delegate.getRow();
            return codec.decode((byte[]) stored, where);
        }
        return stored;
    }

    private String originalText(int column) throws SQLException {
        Object value = original(column);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        return value instanceof byte[] ? new String((byte[]) value, StandardCharsets.UTF_8) : value.toString();
    }

    private byte[] originalBytes(int column) throws SQLException {
        Object value = original(column);
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalText(columnIndex) : delegate.getString(columnIndex);
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        return getString(delegate.findColumn(columnLabel));
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalText(columnIndex) : delegate.getNString(columnIndex);
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        return getNString(delegate.findColumn(columnLabel));
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalBytes(columnIndex) : delegate.getBytes(columnIndex);
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        return getBytes(delegate.findColumn(columnLabel));
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? original(columnIndex) : delegate.getObject(columnIndex);
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return getObject(delegate.findColumn(columnLabel));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getObject(columnIndex, type);
        }
        if (type == String.class) {
            return type.cast(originalText(columnIndex));
        }
        if (type == byte[].class) {
            return type.cast(originalBytes(columnIndex));
        }
        Object value = original(columnIndex);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new SQLException("Column " + columnIndex + " holds " + value.getClass().getSimpleName()
                + " values, which cannot be read as " + type.getName(), "22018");
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return getObject(delegate.findColumn(columnLabel), type);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getCharacterStream(columnIndex);
        }
        String text = originalText(columnIndex);
        return text == null ? null : new StringReader(text);
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        return getCharacterStream(delegate.findColumn(columnLabel));
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? getCharacterStream(columnIndex) : delegate.getNCharacterStream(columnIndex);
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        return getNCharacterStream(delegate.findColumn(columnLabel));
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getBinaryStream(columnIndex);
        }
        byte[] bytes = originalBytes(columnIndex);
        return bytes == null ? null : new ByteArrayInputStream(bytes);
    }

    @Override
    public InputStream getBinaryStream(String columnLabel) throws SQLException {
        return getBinaryStream(delegate.findColumn(columnLabel));
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getAsciiStream(columnIndex);
        }
        String text = originalText(columnIndex);
        return text == null ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public InputStream getAsciiStream(String columnLabel) throws SQLException {
        return getAsciiStream(delegate.findColumn(columnLabel));
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getBlob(columnIndex);
        }
        byte[] bytes = originalBytes(columnIndex);
        return bytes == null ? null : new SerialBlob(bytes);
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        return getBlob(delegate.findColumn(columnLabel));
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getClob(columnIndex);
        }
        String text = originalText(columnIndex);
        return text == null ? null : new SerialClob(text.toCharArray());
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        return getClob(delegate.findColumn(columnLabel));
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        if (decodes(columnIndex)) {
            throw new java.sql.SQLFeatureNotSupportedException("NClob is not supported; use getString or getClob");
        }
        return delegate.getNClob(columnIndex);
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
