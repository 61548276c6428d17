package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.maintenance.IncrementalVacuum;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Returns the database's free pages to the disk, safely while other processes use it: through the "
                + "enhanced driver (writer turn, busy retry), without changing its journal mode.",
                "With auto_vacuum=INCREMENTAL (databases the driver created, or migrated): incremental_vacuum in steps "
                        + "of " + IncrementalVacuum.STEP_PAGES + " pages, each a short write transaction, so other "
                        + "writers wait one step at most. With auto_vacuum=NONE: one VACUUM, which also switches the "
                        + "database to INCREMENTAL so that later compactions run in steps; other writers wait for it "
                        + "(their busy timeout), readers do not.",
                "Then a TRUNCATE checkpoint, so a WAL database's file shrinks now; a reader of another process may "
                        + "delay that to its next checkpoint."})
final class CompactCommand implements Callable<Integer> {

    private static final int INCREMENTAL = 2;

    @Parameters(index = "0", paramLabel = "DB", description = "the SQLite database to compact (changed in place)")
    java.nio.file.Path database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DatabaseFile file = DatabaseFile.existing(database);
        file.requireWritable("compact");
        long before = DatabaseFile.sizeOf(file.path()) + DatabaseFile.sizeOf(file.sidecar("-wal"));
        // profile=off: the file keeps its journal mode and every other setting; only the pipeline's writer turn and
        // busy retry are wanted here, and a busy timeout to wait out other processes' writers
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + file.path());
             Connection connection = open(dataSource)) {
            long pageSize = DatabaseFile.number(connection, "PRAGMA page_size");
            long free = DatabaseFile.number(connection, "PRAGMA freelist_count");
            long mode = DatabaseFile.number(connection, "PRAGMA auto_vacuum");
            if (mode == INCREMENTAL) {
                long steps = returnInSteps(connection);
                out.println("incremental_vacuum: " + free + " free pages returned in " + steps + " step(s)");
            } else if (mode == 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                    statement.execute("VACUUM");
                }
                out.println("VACUUM: " + free + " free pages returned; auto_vacuum is now INCREMENTAL");
            } else {
                out.println("auto_vacuum=FULL: SQLite returns free pages at every commit; nothing to do");
            }
            boolean walShrunk = truncateWal(connection);
            long after = DatabaseFile.sizeOf(file.path()) + DatabaseFile.sizeOf(file.sidecar("-wal"));
            out.println(String.format(Locale.ROOT, "%s: %,d -> %,d bytes (database and -wal; page size %,d)",
                    file.path(), before, after, pageSize));
            if (!walShrunk) {
                out.println("Another process is reading an older snapshot: the file shrinks at a later checkpoint.");
            }
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
        return ExitCodes.OK;
    }

    private static Connection open(EnhancedSqliteDataSource dataSource) throws SQLException {
        dataSource.setProperty("profile", "off");
        dataSource.setProperty("busy_timeout", Integer.toString(DatabaseFile.BUSY_TIMEOUT_MILLIS));
        dataSource.setMaximumPoolSize(1);
        return dataSource.getConnection();
    }

    /** Steps of the driver's incremental vacuum, each one write transaction, until no page is free. */
    private static long returnInSteps(Connection connection) throws SQLException {
        long steps = 0;
        while (IncrementalVacuum.hasPagesToReturn(connection)) {
            IncrementalVacuum.step(connection);
            steps++;
        }
        return steps;
    }

    /** A TRUNCATE checkpoint: in WAL mode the file shrinks only when the vacuum is copied back. */
    private static boolean truncateWal(Connection connection) throws SQLException {
        if (!"wal".equalsIgnoreCase(DatabaseFile.text(connection, "PRAGMA journal_mode"))) {
            return true;
        }
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return result.next() && result.getInt(1) == 0;
        }
    }
}
