package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.exec.StoredValues;
import io.github.enhancedsqlite.compress.RewrittenSql;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A result set whose {@link #getStatement()} is the statement the application holds. For result columns that
 * are bare compressed columns (see {@link RewrittenSql#decodes}), every value getter gives what it gives on the
 * original value stored plain; all other columns, and every column of a statement that touches no compressed
 * column, go straight through.
 */
final class ResultSetWrapper extends ForwardingResultSet {

    private final Statement statement;
    /** Where errors of forwarded calls go, as errors of executions do. */
    private final ConnectionWrapper connection;
    /** sqlite-jdbc's result set this one was made for, even after close() cut it off. */
    private final ResultSet origin;
    /** Which columns to decode; null when none. Changes when the statement runs again ({@link #rearm}). */
    private RewrittenSql decoding;
    private final StoredValues values;

    /**
     * @param statement what {@link #getStatement()} returns; null for a metadata listing sqlite-jdbc ran without one
     */
    ResultSetWrapper(ResultSet delegate, Statement statement, ConnectionWrapper connection, RewrittenSql decoding) {
        super(delegate);
        this.statement = statement;
        this.connection = connection;
        this.origin = delegate;
        this.decoding = decoding;
        this.values = connection.values();
    }

    /**
     * Shows the statement's next execution through this reference when sqlite-jdbc reuses the same result set object
     * for it, as sqlite-jdbc's own result sets do.
     *
     * @return false when {@code next} is another object: this reference must then be cut off instead
     */
    boolean rearm(ResultSet next, RewrittenSql nextDecoding) {
        if (next != origin) {
            return false;
        }
        delegate = next;
        decoding = nextDecoding;
        return true;
    }

    /** An error from next() or a getter inside a transaction counts as one from an execution. */
    @Override
    SQLException checkException(SQLException error) {
        return connection.checkException(error);
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

    /**
     * Whether SQLite may still step the statement for more rows: not once they ran out (past the last row, or none
     * at all), when it holds no cursor and no read transaction any more, though the result set is open.
     */
    boolean mayStep() {
        try {
            return !delegate.isClosed() && !delegate.isAfterLast() && (delegate.isBeforeFirst() || delegate.getRow() > 0);
        } catch (SQLException e) {
            return true;
        }
    }

    /** Whether a decoded column's value in the current row is stored compressed and was TEXT. */
    boolean holdsCompressedText(int column) throws SQLException {
        if (!decodes(column)) {
            return false;
        }
        Object stored = delegate.getObject(column);
        return stored instanceof byte[] && values.holdsText((byte[]) stored, decoding.decodedColumn(column));
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

    /**
     * The original of a decoded column's value in the current row when it is stored as an envelope (a String for
     * TEXT, a byte[] for BLOB); null when the value is stored as it is, and sqlite-jdbc can read it directly.
     */
    private Object envelopeOriginal(int column) throws SQLException {
        return envelopeOriginal(column, delegate.getObject(column));
    }

    /** As {@link #envelopeOriginal(int)}, for the stored value already read (point reads read it once). */
    private Object envelopeOriginal(int column, Object stored) throws SQLException {
        if (stored instanceof byte[] && values.isEnvelope((byte[]) stored, decoding.decodedColumn(column))) {
            String where = "in " + decoding.decodedColumn(column) + " (result column " + column + ", row "
                    + delegate.getRow() + " of the result)";
            return values.decode((byte[]) stored, where);
        }
        return null;
    }

    @FunctionalInterface
    private interface ByIndex<T> {
        T read(ResultSet result, int column) throws SQLException;
    }

    @FunctionalInterface
    private interface ByLabel<T> {
        T read(ResultSet result, String label) throws SQLException;
    }

    /** A getter on a decoded column: sqlite-jdbc's, on the stored value or on the decoded original stored plain. */
    private <T> T read(int column, ByIndex<T> getter) throws SQLException {
        return read(column, envelopeOriginal(column), getter);
    }

    private <T> T read(int column, Object original, ByIndex<T> getter) throws SQLException {
        if (original == null) {
            return getter.read(delegate, column);
        }
        try (PlainValue plain = new PlainValue(sqlite(), original)) {
            return getter.read(plain.result(), 1);
        }
    }

    /**
     * A getter by label, called by label on sqlite-jdbc too: some of its label getters are not their index
     * getter (getDate(String) parses with a Calendar's time zone), so the label form must reach sqlite-jdbc.
     */
    private <T> T readByLabel(String label, ByLabel<T> getter) throws SQLException {
        int column = delegate.findColumn(label);
        return readByLabel(label, decoding.decodes(column) ? envelopeOriginal(column) : null, getter);
    }

    private <T> T readByLabel(String label, Object original, ByLabel<T> getter) throws SQLException {
        if (original == null) {
            return getter.read(delegate, label);
        }
        try (PlainValue plain = new PlainValue(sqlite(), original)) {
            return getter.read(plain.result(), PlainValue.LABEL);
        }
    }

    /** sqlite-jdbc's connection the result set reads through. */
    private Connection sqlite() throws SQLException {
        return delegate.getStatement().getConnection();
    }

    // Every value getter below hands decoded values to sqlite-jdbc (see PlainValue). Only where sqlite-jdbc returns
    // the value as it is (getString of a TEXT, getBytes of a BLOB, getObject of either) is the original returned
    // directly: those are the getters of point reads, and they need no second statement.

    @Override
    public String getString(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getString(columnIndex);
        }
        // the point-read path: the stored value is read once; TEXT stored as it is (and NULL) is already the answer
        Object stored = delegate.getObject(columnIndex);
        if (stored == null || stored instanceof String) {
            return (String) stored;
        }
        Object original = envelopeOriginal(columnIndex, stored);
        return original instanceof String ? (String) original : read(columnIndex, original, ResultSet::getString);
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        int column = decoding == null ? 0 : delegate.findColumn(columnLabel);
        if (!decodes(column)) {
            return delegate.getString(columnLabel);
        }
        Object original = envelopeOriginal(column);
        return original instanceof String
                ? (String) original
                : readByLabel(columnLabel, original, ResultSet::getString);
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getNString) : delegate.getNString(columnIndex);
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getNString(columnLabel) : readByLabel(columnLabel, ResultSet::getNString);
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getBoolean) : delegate.getBoolean(columnIndex);
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getBoolean(columnLabel) : readByLabel(columnLabel, ResultSet::getBoolean);
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getByte) : delegate.getByte(columnIndex);
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getByte(columnLabel) : readByLabel(columnLabel, ResultSet::getByte);
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getShort) : delegate.getShort(columnIndex);
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getShort(columnLabel) : readByLabel(columnLabel, ResultSet::getShort);
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getInt) : delegate.getInt(columnIndex);
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getInt(columnLabel) : readByLabel(columnLabel, ResultSet::getInt);
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getLong) : delegate.getLong(columnIndex);
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getLong(columnLabel) : readByLabel(columnLabel, ResultSet::getLong);
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getFloat) : delegate.getFloat(columnIndex);
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getFloat(columnLabel) : readByLabel(columnLabel, ResultSet::getFloat);
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getDouble) : delegate.getDouble(columnIndex);
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getDouble(columnLabel) : readByLabel(columnLabel, ResultSet::getDouble);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getBigDecimal) : delegate.getBigDecimal(columnIndex);
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getBigDecimal(columnLabel)
                : readByLabel(columnLabel, ResultSet::getBigDecimal);
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, (r, i) -> r.getBigDecimal(i, scale))
                : delegate.getBigDecimal(columnIndex, scale);
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
        return decoding == null
                ? delegate.getBigDecimal(columnLabel, scale)
                : readByLabel(columnLabel, (r, l) -> r.getBigDecimal(l, scale));
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getBytes(columnIndex);
        }
        Object stored = delegate.getObject(columnIndex);
        Object original = envelopeOriginal(columnIndex, stored);
        if (original == null && stored instanceof byte[]) {
            return (byte[]) stored; // a BLOB stored as it is: what sqlite-jdbc's getBytes gives
        }
        return original instanceof byte[] ? (byte[]) original : read(columnIndex, original, ResultSet::getBytes);
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        int column = decoding == null ? 0 : delegate.findColumn(columnLabel);
        if (!decodes(column)) {
            return delegate.getBytes(columnLabel);
        }
        Object original = envelopeOriginal(column);
        return original instanceof byte[] ? (byte[]) original : readByLabel(columnLabel, original, ResultSet::getBytes);
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getDate) : delegate.getDate(columnIndex);
    }

    @Override
    public Date getDate(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getDate(columnLabel) : readByLabel(columnLabel, ResultSet::getDate);
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, (r, i) -> r.getDate(i, cal))
                : delegate.getDate(columnIndex, cal);
    }

    @Override
    public Date getDate(String columnLabel, Calendar cal) throws SQLException {
        return decoding == null
                ? delegate.getDate(columnLabel, cal)
                : readByLabel(columnLabel, (r, l) -> r.getDate(l, cal));
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getTime) : delegate.getTime(columnIndex);
    }

    @Override
    public Time getTime(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getTime(columnLabel) : readByLabel(columnLabel, ResultSet::getTime);
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, (r, i) -> r.getTime(i, cal))
                : delegate.getTime(columnIndex, cal);
    }

    @Override
    public Time getTime(String columnLabel, Calendar cal) throws SQLException {
        return decoding == null
                ? delegate.getTime(columnLabel, cal)
                : readByLabel(columnLabel, (r, l) -> r.getTime(l, cal));
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getTimestamp) : delegate.getTimestamp(columnIndex);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getTimestamp(columnLabel)
                : readByLabel(columnLabel, ResultSet::getTimestamp);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, (r, i) -> r.getTimestamp(i, cal))
                : delegate.getTimestamp(columnIndex, cal);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        return decoding == null
                ? delegate.getTimestamp(columnLabel, cal)
                : readByLabel(columnLabel, (r, l) -> r.getTimestamp(l, cal));
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, ResultSet::getAsciiStream)
                : delegate.getAsciiStream(columnIndex);
    }

    @Override
    public InputStream getAsciiStream(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getAsciiStream(columnLabel)
                : readByLabel(columnLabel, ResultSet::getAsciiStream);
    }

    @Override
    public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, ResultSet::getUnicodeStream)
                : delegate.getUnicodeStream(columnIndex);
    }

    @Override
    public InputStream getUnicodeStream(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getUnicodeStream(columnLabel)
                : readByLabel(columnLabel, ResultSet::getUnicodeStream);
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, ResultSet::getBinaryStream)
                : delegate.getBinaryStream(columnIndex);
    }

    @Override
    public InputStream getBinaryStream(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getBinaryStream(columnLabel)
                : readByLabel(columnLabel, ResultSet::getBinaryStream);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, ResultSet::getCharacterStream)
                : delegate.getCharacterStream(columnIndex);
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getCharacterStream(columnLabel)
                : readByLabel(columnLabel, ResultSet::getCharacterStream);
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, ResultSet::getNCharacterStream)
                : delegate.getNCharacterStream(columnIndex);
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        return decoding == null
                ? delegate.getNCharacterStream(columnLabel)
                : readByLabel(columnLabel, ResultSet::getNCharacterStream);
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getBlob) : delegate.getBlob(columnIndex);
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getBlob(columnLabel) : readByLabel(columnLabel, ResultSet::getBlob);
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getClob) : delegate.getClob(columnIndex);
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getClob(columnLabel) : readByLabel(columnLabel, ResultSet::getClob);
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getNClob) : delegate.getNClob(columnIndex);
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getNClob(columnLabel) : readByLabel(columnLabel, ResultSet::getNClob);
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getArray) : delegate.getArray(columnIndex);
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getArray(columnLabel) : readByLabel(columnLabel, ResultSet::getArray);
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getRef) : delegate.getRef(columnIndex);
    }

    @Override
    public Ref getRef(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getRef(columnLabel) : readByLabel(columnLabel, ResultSet::getRef);
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getURL) : delegate.getURL(columnIndex);
    }

    @Override
    public URL getURL(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getURL(columnLabel) : readByLabel(columnLabel, ResultSet::getURL);
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getRowId) : delegate.getRowId(columnIndex);
    }

    @Override
    public RowId getRowId(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getRowId(columnLabel) : readByLabel(columnLabel, ResultSet::getRowId);
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        return decodes(columnIndex) ? read(columnIndex, ResultSet::getSQLXML) : delegate.getSQLXML(columnIndex);
    }

    @Override
    public SQLXML getSQLXML(String columnLabel) throws SQLException {
        return decoding == null ? delegate.getSQLXML(columnLabel) : readByLabel(columnLabel, ResultSet::getSQLXML);
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        if (!decodes(columnIndex)) {
            return delegate.getObject(columnIndex);
        }
        Object stored = delegate.getObject(columnIndex);
        Object original = envelopeOriginal(columnIndex, stored);
        return original != null ? original : stored;
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        int column = decoding == null ? 0 : delegate.findColumn(columnLabel);
        if (!decodes(column)) {
            return delegate.getObject(columnLabel);
        }
        Object original = envelopeOriginal(column);
        return original != null ? original : readByLabel(columnLabel, original, ResultSet::getObject);
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, (r, i) -> r.getObject(i, map))
                : delegate.getObject(columnIndex, map);
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return decoding == null
                ? delegate.getObject(columnLabel, map)
                : readByLabel(columnLabel, (r, l) -> r.getObject(l, map));
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        return decodes(columnIndex)
                ? read(columnIndex, (r, i) -> r.getObject(i, type))
                : delegate.getObject(columnIndex, type);
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return decoding == null
                ? delegate.getObject(columnLabel, type)
                : readByLabel(columnLabel, (r, l) -> r.getObject(l, type));
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        T unwrapped = delegate.unwrap(iface);
        connection.sqliteHandedOut(); // its getStatement().getConnection() is sqlite-jdbc's connection
        return unwrapped;
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
