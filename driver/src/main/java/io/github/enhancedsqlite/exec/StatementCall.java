package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import java.util.Set;

/** The statement an execution belongs to, as the steps of a {@link StatementPipeline} see it. */
public interface StatementCall extends InterruptRepair {

    /** The application's SQL (before any rewrite), for the slow-statement log. */
    String sqlForLog();

    /** The bound values as text, or null; asked only when a slow statement is logged with logParameters on. */
    String parametersForLog();

    /**
     * Compressed columns this statement (a CREATE INDEX, VIEW or TRIGGER over them) needs stored plain before it
     * runs; empty for every other statement.
     */
    Set<ColumnRef> madePlain();

    /**
     * The statement runs again: the result set of its previous execution, which running again closes anyway, is
     * closed now.
     */
    void closeResult() throws java.sql.SQLException;

    /** Whether the rows of its last execution may still be read (a query, or RETURNING). */
    boolean readingRows() throws java.sql.SQLException;
}
