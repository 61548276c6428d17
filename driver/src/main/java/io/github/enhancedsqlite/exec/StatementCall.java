package io.github.enhancedsqlite.exec;

/** The statement an execution belongs to, as the steps of a {@link StatementPipeline} see it. */
public interface StatementCall extends InterruptRepair {

    /** The application's SQL (before any rewrite), for the slow-statement log. */
    String sqlForLog();

    /** The bound values as text, or null; asked only when a slow statement is logged with logParameters on. */
    String parametersForLog();
}
