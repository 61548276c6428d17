package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Envelope;
import io.github.enhancedsqlite.compress.RewrittenSql;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
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

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        ResultSetMetaData meta = delegate.getMetaData();
        return decoding == null ? meta : new DecodedMetaData(meta, this);
    }

    /** Whether a decoded column's value in the current row is stored compressed and was TEXT. */
    boolean holdsCompressedText(int column) throws SQLException {
        if (!decodes(column)) {
            return false;
        }
        Object stored = delegate.getObject(column);
        return stored instanceof byte[] && Envelope.holdsText((byte[]) stored);
    }

    /** Whether the table column a decoded result column shows was declared with a type. */
    boolean declaresType(int column) throws SQLException {
        ColumnRef shown = decoding.decodedColumn(column);
        try (PreparedStatement select = delegate.getStatement().getConnection().prepareStatement(
                "SELECT type FROM pragma_table_xinfo(?) WHERE name = ? COLLATE NOCASE")) {
            select.setString(1, shown.table());
            select.setString(2, shown.column());
            try (ResultSet type = select.executeQuery()) {
                return type.next() && !type.getString(1).isEmpty();
            }
        }
    }

    private boolean decodes(int column) {
        return decoding != null && decoding.decodes(column);
    }

    /** The original value of a decoded column: a String, a byte[], another SQLite value, or null. */
    private Object original(int column) throws SQLException {
        Object stored = delegate.getObject(column);
        if (stored instanceof byte[] && Envelope.looksLikeEnvelope((byte[]) stored)) {
            String where = "in " + decoding.decodedColumn(column) + " (result column " + column + ", row "
                    + delegate.getRow() + " of the result)";
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

    /**
     * The number SQLite would make of a decoded value: numbers as they are, text by its longest numeric prefix
     * (0 when there is none), as sqlite3_column_int and friends convert.
     */
    private BigDecimal originalNumber(int column) throws SQLException {
        Object value = original(column);
        if (value == null) {
            return BigDecimal.ZERO;
        }
        if (value instanceof Number) {
            return new BigDecimal(value.toString());
        }
        String text = value instanceof byte[] ? new String((byte[]) value, StandardCharsets.UTF_8) : value.toString();
        Matcher prefix = NUMERIC_PREFIX.matcher(text);
        return prefix.lookingAt() ? new BigDecimal(prefix.group(1)) : BigDecimal.ZERO;
    }

    private static final Pattern NUMERIC_PREFIX =
            Pattern.compile("\\s*([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)");

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).intValue() : delegate.getInt(columnIndex);
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        return getInt(delegate.findColumn(columnLabel));
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).longValue() : delegate.getLong(columnIndex);
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        return getLong(delegate.findColumn(columnLabel));
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).doubleValue() : delegate.getDouble(columnIndex);
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        return getDouble(delegate.findColumn(columnLabel));
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).floatValue() : delegate.getFloat(columnIndex);
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        return getFloat(delegate.findColumn(columnLabel));
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).shortValue() : delegate.getShort(columnIndex);
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        return getShort(delegate.findColumn(columnLabel));
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).byteValue() : delegate.getByte(columnIndex);
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        return getByte(delegate.findColumn(columnLabel));
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? originalNumber(columnIndex).signum() != 0 : delegate.getBoolean(columnIndex);
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        return getBoolean(delegate.findColumn(columnLabel));
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getBigDecimal(columnIndex);
        }
        return original(columnIndex) == null ? null : originalNumber(columnIndex);
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        return getBigDecimal(delegate.findColumn(columnLabel));
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
        throw new SQLException("Bad value for type " + type.getSimpleName(), "22018"); // sqlite-jdbc's words
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
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        T unwrapped = delegate.unwrap(iface);
        if (statement instanceof StatementWrapper wrapper) {
            wrapper.connection.sqliteHandedOut(); // its getStatement().getConnection() is sqlite-jdbc's connection
        }
        return unwrapped;
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
