package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A statement wrapper that also holds a prepared statement. The build generates {@code ForwardingPreparedStatement}
 * from it: the methods {@link PreparedStatement} adds go to {@code prepared}; the {@link Statement} methods, with
 * their interceptions, come from {@link StatementWrapper}, as in HikariCP's proxies.
 */
@Forward(value = PreparedStatement.class, field = "prepared", skip = Statement.class,
        name = "ForwardingPreparedStatement")
abstract class PreparedStatementDelegate extends StatementWrapper implements PreparedStatement {

    /** Not final: a statement handed back to the statement cache swaps in {@link Closed}. */
    PreparedStatement prepared;

    PreparedStatementDelegate(PreparedStatement prepared, ConnectionWrapper connection) {
        super(prepared, connection);
        this.prepared = prepared;
    }
}
