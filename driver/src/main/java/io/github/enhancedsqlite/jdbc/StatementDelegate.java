package io.github.enhancedsqlite.jdbc;

import io.github.enhancedsqlite.codegen.Forward;
import java.sql.SQLException;
import java.sql.Statement;

/** What every statement wrapper holds; the build generates {@code ForwardingStatement} from it (see {@link Forward}). */
@Forward(value = Statement.class, name = "ForwardingStatement")
abstract class StatementDelegate implements Statement {

    /** Not final: a statement handed back to the statement cache swaps in {@link Closed}. */
    Statement delegate;

    StatementDelegate(Statement delegate) {
        this.delegate = delegate;
    }

    /** The one place every forwarded call's error passes; it returns what the application is to see. */
    abstract SQLException checkException(SQLException error);
}
