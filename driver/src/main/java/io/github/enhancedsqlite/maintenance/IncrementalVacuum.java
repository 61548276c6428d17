package io.github.enhancedsqlite.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Returns free pages of a database with {@code auto_vacuum=INCREMENTAL} to the disk, one bounded step at a time, through
 * a connection of the driver: each step is one write transaction, so it takes the writer turn like any writer and
 * others wait one step at most. Used by the background maintenance and by the toolkit's {@code compact}.
 */
public final class IncrementalVacuum {

    /** Pages one step returns: 1 MiB at the default page size, a few milliseconds of writing. */
    public static final int STEP_PAGES = 256;
    /** SQLite's number for auto_vacuum=INCREMENTAL. */
    private static final int INCREMENTAL = 2;

    private IncrementalVacuum() {
    }

    /** Whether the database can return free pages in steps, and has some. */
    public static boolean hasPagesToReturn(Connection connection) throws SQLException {
        return freePages(connection) > 0 && incremental(connection);
    }

    /** Free pages of the database, and pages of the whole file. */
    public static long freePages(Connection connection) throws SQLException {
        return number(connection, "PRAGMA freelist_count");
    }

    public static long pages(Connection connection) throws SQLException {
        return number(connection, "PRAGMA page_count");
    }

    public static boolean incremental(Connection connection) throws SQLException {
        return number(connection, "PRAGMA auto_vacuum") == INCREMENTAL;
    }

    /**
     * Returns up to {@link #STEP_PAGES} free pages in one write transaction. The pragma frees one page per row it
     * returns, and sqlite-jdbc runs a statement only to its first row, so each page is one execution.
     *
     * @param connection a connection of the driver in auto-commit mode
     */
    public static void step(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement freeOnePage = connection.prepareStatement("PRAGMA incremental_vacuum(1)")) {
                for (int page = 0; page < STEP_PAGES; page++) {
                    freeOnePage.execute();
                }
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true); // rolls nothing back after the commit; after a failure, the rollback
        }
    }

    private static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getLong(1) : 0;
        }
    }
}
