package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * What every connection wrapper holds: the connection its calls go to. The build generates
 * {@code ForwardingConnection} from it (see {@link Forward}): every {@link Connection} method forwarded, so a wrapper
 * overrides only what it intercepts, and a call that needs nothing from us costs one virtual call and no allocation.
 * It is a sqlite-jdbc {@link SQLiteConnection}, so code written for sqlite-jdbc that casts the connection or hands it
 * to sqlite-jdbc's helpers ({@code Function.create}, {@code Collation.create}, {@code BusyHandler.setHandler}, …) works
 * unchanged; every {@link Connection} method is still forwarded, none runs sqlite-jdbc's own implementation on this
 * object, and the subclass says which database that part is built on (the application's wrapper: one never opened,
 * its sqlite-jdbc methods overridden to act on the lease's physical connection).
 */
@Forward(value = Connection.class, name = "ForwardingConnection")
abstract class ConnectionDelegate extends SQLiteConnection {

    /** Not final: a closed connection swaps in {@link Closed}, so a stale reference cannot reach the next lease. */
    Connection delegate;

    ConnectionDelegate(Connection delegate, DB database) {
        super(database);
        this.delegate = delegate;
    }

    /** The one place every forwarded call's error passes; it returns what the application is to see. */
    abstract SQLException checkException(SQLException error);

    /**
     * Forwarded by hand: {@link SQLiteConnection} declares it without {@code throws SQLException}, so the generated
     * override could not throw what {@link Connection#getTransactionIsolation} may (a closed connection). The error is
     * thrown all the same, as the caller holding a {@link Connection} expects it.
     */
    @Override
    public int getTransactionIsolation() {
        try {
            return delegate.getTransactionIsolation();
        } catch (SQLException e) {
            throw Unchecked.<RuntimeException>as(checkException(e));
        }
    }
}
