package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the metadata wrapper holds; the build generates {@code ForwardingDatabaseMetaData} from it (see
 * {@link Forward}), with every result set a listing returns passed through {@link #wrapResultSet}.
 */
@Forward(value = DatabaseMetaData.class, name = "ForwardingDatabaseMetaData", wrapResultSets = true)
abstract class MetaDataDelegate implements DatabaseMetaData {

    final DatabaseMetaData delegate;

    MetaDataDelegate(DatabaseMetaData delegate) {
        this.delegate = delegate;
    }

    /** The one place every forwarded call's error passes; it returns what the application is to see. */
    abstract SQLException checkException(SQLException error);

    /** A listing sqlite-jdbc returned, as the application gets it; null stays null. */
    abstract ResultSet wrapResultSet(ResultSet listing) throws SQLException;
}
