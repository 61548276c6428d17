package io.github.enhancedsqlite.jdbc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.core.CorePreparedStatement;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/** What sqlite-jdbc's statements need that JDBC has no call for. */
final class SqliteStatements {

    /** sqlite-jdbc's bound values: {@code batch[batchPos .. batchPos + paramCount)} (protected fields, no getter). */
    private static final VarHandle BATCH;
    private static final VarHandle BATCH_POS;
    private static final VarHandle PARAM_COUNT;
    private static final VarHandle BATCH_QUERY_COUNT;

    static {
        try {
            MethodHandles.Lookup core = MethodHandles.privateLookupIn(CoreStatement.class, MethodHandles.lookup());
            BATCH = core.findVarHandle(CoreStatement.class, "batch", Object[].class);
            BATCH_POS = core.findVarHandle(CoreStatement.class, "batchPos", int.class);
            MethodHandles.Lookup prepared = MethodHandles.privateLookupIn(CorePreparedStatement.class,
                    MethodHandles.lookup());
            PARAM_COUNT = prepared.findVarHandle(CorePreparedStatement.class, "paramCount", int.class);
            BATCH_QUERY_COUNT = prepared.findVarHandle(CorePreparedStatement.class, "batchQueryCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SqliteStatements() {
    }

    /**
     * A copy of the values bound to a sqlite-jdbc prepared statement for its next execution, as sqlite-jdbc holds
     * them (already converted: a boolean as 1 or 0, a date as configured); null when it takes none.
     */
    static Object[] boundValues(PreparedStatement statement) {
        if (!(statement instanceof CorePreparedStatement)) {
            return null;
        }
        int count = (int) PARAM_COUNT.get(statement);
        Object[] batch = (Object[]) BATCH.get(statement);
        if (count == 0 || batch == null) {
            return null;
        }
        int from = (int) BATCH_POS.get(statement);
        return Arrays.copyOfRange(batch, from, from + count);
    }

    /**
     * Gives a freshly prepared sqlite-jdbc statement the values bound to another, and the batch added to it so far,
     * as sqlite-jdbc holds them; false, changing nothing, when the two do not take the same number of parameters.
     */
    static boolean carryBindings(PreparedStatement from, PreparedStatement to) {
        if (!(from instanceof CorePreparedStatement) || !(to instanceof CorePreparedStatement)
                || (int) PARAM_COUNT.get(from) != (int) PARAM_COUNT.get(to)) {
            return false;
        }
        Object[] batch = (Object[]) BATCH.get(from);
        BATCH.set(to, batch == null ? null : batch.clone());
        BATCH_POS.set(to, (int) BATCH_POS.get(from));
        BATCH_QUERY_COUNT.set(to, (int) BATCH_QUERY_COUNT.get(from));
        return true;
    }

    /**
     * Resets a sqlite-jdbc statement (sqlite3_reset). sqlite-jdbc resets a statement only when it runs again, so
     * one that ran keeps a read snapshot, or SQLite's interrupt flag, alive in between.
     */
    static void reset(Statement statement) throws SQLException {
        if (statement instanceof CoreStatement) {
            CoreStatement core = (CoreStatement) statement;
            if (core.pointer != null && !core.pointer.isClosed()) {
                core.pointer.safeRunInt(Reset.INSTANCE);
            }
        }
    }

    /**
     * Gives a prepared statement back the column names it had when freshly prepared. sqlite-jdbc reads them once, at
     * prepare, and forgets them when its result set closes; a statement reused from the cache would then answer
     * {@code getMetaData()} before its next execution with "inconsistent internal state", where a fresh one answers.
     */
    static void restoreColumnNames(PreparedStatement statement) throws SQLException {
        if (statement instanceof CoreStatement) {
            CoreStatement core = (CoreStatement) statement;
            ResultSetMetaData meta = statement.getMetaData(); // sqlite-jdbc's own result set, which is its metadata
            if (meta instanceof CoreResultSet && ((CoreResultSet) meta).colsMeta == null
                    && core.pointer != null && !core.pointer.isClosed()) {
                ((CoreResultSet) meta).colsMeta = core.pointer.safeRun(DB::column_names);
            }
        }
    }

    /**
     * sqlite3_reset through sqlite-jdbc's guarded pointer: a named class, not a method reference
     * (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class Reset implements SafeStmtPtr.SafePtrIntFunction<SQLException> {
        static final Reset INSTANCE = new Reset();

        @Override
        public int run(DB db, long pointer) throws SQLException {
            return db.reset(pointer);
        }
    }
}
