package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.ColumnRef;
import java.util.Set;
import java.util.function.IntPredicate;

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

    /** The SQL that ran on sqlite-jdbc (after any rewrite), so that a read can be run again as it was. */
    String sqlRun();

    /** The values bound for that run, as sqlite-jdbc holds them; null when none. */
    Object[] boundValues();

    /** The result columns of that run whose envelopes the getters decode (bare compressed columns); null when none. */
    IntPredicate decodedColumns();

    /**
     * The statement runs again: the result set of its previous execution, which running again closes anyway, is
     * closed now.
     */
    void closeResult() throws java.sql.SQLException;

    /**
     * The connection changed since the statement was prepared in a way that changes the text it must run
     * ({@link io.github.enhancedsqlite.compress.ConnectionChangedSincePrepared}): prepares it again as the connection
     * is now, with the values bound so far; false when it cannot be (a plain statement's batch) or the text is the
     * same.
     */
    boolean prepareAgain() throws java.sql.SQLException;

    /** Whether the rows of its last execution may still be read (a query, or RETURNING). */
    boolean readingRows() throws java.sql.SQLException;
}
