package io.github.enhancedsqlite.jdbc;

import java.util.ArrayList;

/**
 * The statements of one lease, so closing the lease can close them. An array list searched from its end: statements
 * are closed in the reverse order of their creation, or soon after it, so a close finds its statement at once, and
 * closing the lease, which closes from the end too, stays linear even with thousands left open (searched from the
 * front, 50,000 unclosed statements took half a minute to close). Cheaper per statement than a hash set, whose
 * identity hash every new statement would have to compute. Guarded by its monitor: JDBC lets threads share a
 * connection, and a thousand threads creating and closing statements on one (sqlite-jdbc's UDFTest) lost and nulled
 * entries of the unguarded list; uncontended, the lock costs a few nanoseconds per statement.
 */
final class LeaseStatements {

    private final ArrayList<StatementWrapper> open = new ArrayList<>();

    synchronized void add(StatementWrapper statement) {
        open.add(statement);
    }

    /** True when the statement was open in this lease (and is now forgotten). */
    synchronized boolean remove(StatementWrapper statement) {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i) == statement) {
                open.remove(i);
                return true;
            }
        }
        return false;
    }

    synchronized boolean isEmpty() {
        return open.isEmpty();
    }

    /** The open statements, newest first: a copy, since closing one removes it from here. */
    synchronized StatementWrapper[] newestFirst() {
        StatementWrapper[] copy = new StatementWrapper[open.size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = open.get(open.size() - 1 - i);
        }
        return copy;
    }

    /** True when a statement of the lease is being executed by a thread other than {@code self}. */
    synchronized boolean runningOnAnotherThread(Thread self) {
        for (StatementWrapper statement : open) {
            Thread executing = statement.executingThread;
            if (executing != null && executing != self) {
                return true;
            }
        }
        return false;
    }

    synchronized void clear() {
        open.clear();
    }
}
