package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What every connection wrapper holds: the connection its calls go to. The build generates
 * {@code ForwardingConnection} from it (see {@link Forward}): every {@link Connection} method forwarded, so a wrapper
 * overrides only what it intercepts, and a call that needs nothing from us costs one virtual call and no allocation.
 */
@Forward(value = Connection.class, name = "ForwardingConnection")
abstract class ConnectionDelegate implements Connection {

    /** Not final: a closed connection swaps in {@link Closed}, so a stale reference cannot reach the next lease. */
    Connection delegate;

    ConnectionDelegate(Connection delegate) {
        this.delegate = delegate;
    }

    /** The one place every forwarded call's error passes; it returns what the application is to see. */
    abstract SQLException checkException(SQLException error);
}
