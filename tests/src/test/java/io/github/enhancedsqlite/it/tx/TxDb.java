package io.github.enhancedsqlite.it.tx;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Helpers of the transaction tests: URLs, an independent witness (a plain sqlite-jdbc connection that never
 * waits for a lock), and a way to know that another thread is parked without sleeping.
 */
final class TxDb {

    static final String PREFIX = "jdbc:enhanced-sqlite:";

    /** Bounds every wait on another thread: a hang guard, never a statement about speed. */
    static final long HANG_GUARD_SECONDS = 30;

    private TxDb() {
    }

    static String url(Path file, String query) {
        return PREFIX + file.toAbsolutePath() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /** A plain sqlite-jdbc connection with busy_timeout=0: it fails at once instead of waiting for a lock. */
    /** The URL of {@code file} with the query, after running the schema statements through it. */
    static String prepared(Path file, String query, String... schema) throws SQLException {
        String url = url(file, query);
        try (Connection connection = DriverManager.getConnection(url)) {
            execute(connection, schema);
        }
        return url;
    }

    static Connection witness(Path file) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", "0");
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
    }

    /**
     * Whether another connection holds the write lock right now: a plain connection tries BEGIN IMMEDIATE
     * without waiting and rolls straight back when it gets the lock.
     */
    static boolean writeLockIsFree(Path file) throws SQLException {
        try (Connection witness = witness(file); Statement statement = witness.createStatement()) {
            try {
                statement.execute("BEGIN IMMEDIATE");
            } catch (SQLException e) {
                if ((e.getErrorCode() & 0xFF) == 5) {
                    return false;
                }
                throw e;
            }
            statement.execute("ROLLBACK");
            return true;
        }
    }

    /**
     * Runs one transaction that only reads {@code sql} and commits it, so the driver learns that transactions beginning
     * with that statement only read: the next one begins as a reader (a statement never seen begins as a writer).
     */
    static void learnReadOnly(Connection connection, String sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        queryLong(connection, sql);
        connection.commit();
        connection.setAutoCommit(autoCommit);
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return result.getLong(1);
        }
    }

    static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return result.getString(1);
        }
    }

    static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /**
     * What a plain sqlite-jdbc connection reads, outside any transaction of ours. It keeps sqlite-jdbc's own
     * busy_timeout: in rollback-journal mode even a reader must wait out a moment of someone else's writing.
     */
    static long committed(Path file, String sql) throws SQLException {
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            return queryLong(reader, sql);
        }
    }

    /** The stored bytes a plain connection reads, outside any transaction of ours (see {@link #committed}). */
    static byte[] committedBytes(Path file, String sql) throws SQLException {
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement statement = reader.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            if (!result.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return result.getBytes(1);
        }
    }

    /** The text a plain connection reads, outside any transaction of ours (see {@link #committed}). */
    static String committedString(Path file, String sql) throws SQLException {
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            return queryString(reader, sql);
        }
    }

    /** Runs a call on a new named thread; the future completes with its result or its exception. */
    static <T> Async<T> async(String name, Callable<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(call.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return new Async<>(thread, future);
    }

    /** A call running on its own thread. */
    record Async<T>(Thread thread, CompletableFuture<T> future) {

        /** The result, or the exception the call threw (unwrapped); fails if the call does not end. */
        T join() throws Exception {
            try {
                return future.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                throw new AssertionError(cause);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish; it is " + thread.getState()
                        + " at " + java.util.Arrays.toString(thread.getStackTrace()));
            }
        }

        /** The exception the call ended with; fails if it succeeded. */
        Throwable failure() throws Exception {
            try {
                T result = join();
                throw new AssertionError(thread.getName() + " was expected to fail but returned " + result);
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                return e;
            }
        }

        boolean isDone() {
            return future.isDone();
        }

        /** Returns once the thread waits for something (a lock, a monitor, a condition), or has finished. */
        void awaitBlocked() {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
            while (!future.isDone() && (thread.getState() == Thread.State.RUNNABLE
                    || thread.getState() == Thread.State.NEW)) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError(thread.getName() + " never waited; it is at "
                            + java.util.Arrays.toString(thread.getStackTrace()));
                }
                Thread.onSpinWait();
            }
        }

        /** Returns once the thread waits for the writer turn of its database. */
        void awaitWaitingForTheWriterTurn() {
            awaitParkedIn("io.github.enhancedsqlite.tx.WriterGate");
        }

        /** Returns once the thread sleeps between two attempts of a statement the database reported busy. */
        void awaitBackingOffAfterBusy() {
            awaitParkedIn("io.github.enhancedsqlite.tx.BusyRetry");
        }

        /**
         * Returns once the thread is parked with a timeout inside the given driver class (its stack shows where),
         * or has finished. It polls the thread's state and stack; it never sleeps a guessed duration. The class
         * matters: executing a statement may park elsewhere too (the SQL parser runs with a time limit).
         */
        private void awaitParkedIn(String className) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
            while (!future.isDone() && !(thread.getState() == Thread.State.TIMED_WAITING && inStack(className))) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError(thread.getName() + " never parked in " + className + "; it is "
                            + thread.getState() + " at " + java.util.Arrays.toString(thread.getStackTrace()));
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        private boolean inStack(String className) {
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (frame.getClassName().equals(className)) {
                    return true;
                }
            }
            return false;
        }
    }
}
