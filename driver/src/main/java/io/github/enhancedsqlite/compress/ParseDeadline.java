package io.github.enhancedsqlite.compress;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.sf.jsqlparser.parser.CCJSqlParser;

/**
 * Bounds the time JSqlParser may spend on one statement. Its complex mode backtracks exponentially over nested
 * parentheses, and over statements it cannot read at all (sqllogictest: one WHERE clause five parentheses deep kept
 * it busy for minutes), and it never looks at the thread's interrupt status; it does read its own
 * {@code interrupted} flag between productions, which the pools' timer sets at the deadline. A statement not parsed
 * in time is treated as one the parser rejects: it runs on plain columns.
 */
final class ParseDeadline implements Runnable {

    /** Far above any statement the parser reads (tens of milliseconds, its first in a JVM loading it included). */
    static final long MILLIS = 2_000;

    private volatile CCJSqlParser parser;
    private volatile boolean expired;
    private volatile ScheduledFuture<?> due;

    private ParseDeadline() {
    }

    /** A deadline {@value #MILLIS} ms from now; none without a timer (a private in-memory database has no pool). */
    static ParseDeadline start(Supplier<ScheduledExecutorService> timer) {
        ParseDeadline deadline = new ParseDeadline();
        if (timer != null) {
            try {
                deadline.due = timer.get().schedule(deadline, MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException poolsClosing) {
                // the last pool is closing and its timer with it: this statement's parse goes unbounded
            }
        }
        return deadline;
    }

    /** The parser now at work under this deadline. */
    CCJSqlParser watch(CCJSqlParser watched) {
        parser = watched;
        if (expired) {
            watched.interrupted = true;
        }
        return watched;
    }

    boolean expired() {
        return expired;
    }

    void end() {
        ScheduledFuture<?> pending = due;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public void run() {
        expired = true;
        CCJSqlParser watched = parser;
        if (watched != null) {
            watched.interrupted = true;
        }
    }
}
