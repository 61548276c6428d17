package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What every result set wrapper holds; the build generates {@code ForwardingResultSet} from it (see {@link Forward}). */
@Forward(value = ResultSet.class, name = "ForwardingResultSet")
abstract class ResultSetDelegate implements ResultSet {

    /** Not final: a result set that is no longer current swaps in {@link Closed}. */
    ResultSet delegate;

    ResultSetDelegate(ResultSet delegate) {
        this.delegate = delegate;
    }

    /** The one place every forwarded call's error passes; it returns what the application is to see. */
    abstract SQLException checkException(SQLException error);
}
