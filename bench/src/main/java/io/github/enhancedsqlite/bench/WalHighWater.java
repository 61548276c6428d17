package io.github.enhancedsqlite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13 point 1: the -wal file's high-water mark while six readers run back-to-back read transactions (three in
 * manual mode, three auto-commit queries reading their rows) and two writers upsert 2 KB values, the same fixed number
 * of writes on every side. Sides: raw sqlite-jdbc behind HikariCP, raw sqlite-jdbc opening a connection per operation
 * (both with the profile's pragmas in the URL), and the enhanced driver with its defaults. The WAL is measured by the
 * writers right after each of their commits, which is when it grows. Target: the driver's at most 16 MiB (about twice
 * wal_autocheckpoint at 1000 pages).
 */
final class WalHighWater implements Scenario {

    static final long TARGET_BYTES = 16L << 20;
    private static final int READERS = 6;
    private static final int WRITERS = 2;
    private static final int WRITES_PER_WRITER = 4_000;
    private static final int KEYS = 200;
    private static final String UPSERT = "INSERT INTO memory_entries(key, value) VALUES (?, ?)"
            + " ON CONFLICT(key) DO UPDATE SET value = excluded.value";

    /** How each side gets a connection for one unit of work. */
    private interface Side extends AutoCloseable {
        Connection connection() throws SQLException;

        /** Manual-mode readers: the enhanced driver begins a read-only transaction without the writer turn. */
        default void readOnlyTransactions(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
        }

        @Override
        void close() throws SQLException;
    }

    @Override
    public String name() {
        return "wal-high-water";
    }

    @Override
    public String title() {
        return "-wal high-water mark, 6 readers that never pause + 2 writers of 2 KB upserts";
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        List<String> headings = List.of("raw + HikariCP", "raw, connection per operation", "enhanced-sqlite");
        Load[] loads = new Load[3];
        Path hikariFile = workspace.newDatabase("wal-high-water-raw-hikari");
        try (PooledDatabase pool = PooledDatabase.open(Workspace.rawUrl(hikariFile))) {
            loads[0] = run(hikariFile, new Side() {
                public Connection connection() throws SQLException {
                    return pool.dataSource().getConnection();
                }

                public void close() {
                }
            });
        }
        Path perOperationFile = workspace.newDatabase("wal-high-water-raw-per-operation");
        loads[1] = run(perOperationFile, new Side() {
            public Connection connection() throws SQLException {
                return DriverManager.getConnection(Workspace.rawUrl(perOperationFile));
            }

            public void close() {
            }
        });
        Path enhancedFile = workspace.newDatabase("wal-high-water-enhanced");
        try (PooledDatabase pool = PooledDatabase.open(workspace.enhancedUrl(enhancedFile))) {
            loads[2] = run(enhancedFile, new Side() {
                public Connection connection() throws SQLException {
                    return pool.dataSource().getConnection();
                }

                public void readOnlyTransactions(Connection connection) throws SQLException {
                    if (!workspace.selfCheck()) {
                        connection.setReadOnly(true);
                    }
                    connection.setAutoCommit(false);
                }

                public void close() {
                }
            });
        }
        List<ScenarioResult.Row> rows = new ArrayList<>();
        rows.add(row("-wal high-water mark", loads, load -> Stats.formatBytes(load.walHighWater)));
        rows.add(row("writes (fixed)", loads, load -> Long.toString(load.writes)));
        rows.add(row("read transactions meanwhile", loads, load -> Long.toString(load.reads)));
        rows.add(row("wall time", loads, load -> Stats.formatNanos(load.nanos)));
        rows.add(row("errors reaching the application", loads, load -> Long.toString(load.errors)));
        boolean met = loads[2].walHighWater <= TARGET_BYTES && loads[2].errors == 0;
        List<Target.Verdict> verdicts = List.of(new Target.Verdict("target -wal ≤ 16 MiB under the load", met,
                "enhanced " + Stats.formatBytes(loads[2].walHighWater) + " with " + loads[2].errors + " errors; raw +"
                        + " HikariCP " + Stats.formatBytes(loads[0].walHighWater) + ", raw per operation "
                        + Stats.formatBytes(loads[1].walHighWater)));
        List<String> notes = List.of("each side on a new file; readers read 5 rows by key range and a count, in a"
                + " manual-mode transaction (enhanced: setReadOnly(true), so it is a read transaction before issue 17)"
                + " or in auto-commit; writers: auto-commit upserts of a 2 KB JSON value over " + KEYS + " keys; the"
                + " wall time includes the readers' share of the CPU and is not a throughput comparison");
        return new ScenarioResult(this, headings, rows, verdicts, notes);
    }

    private static ScenarioResult.Row row(String metric, Load[] loads, java.util.function.Function<Load, String> cell) {
        return new ScenarioResult.Row(metric, List.of(cell.apply(loads[0]), cell.apply(loads[1]), cell.apply(loads[2])));
    }

    private record Load(long walHighWater, long writes, long reads, long errors, long nanos) {
    }

    private static Load run(Path file, Side side) throws Exception {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        try (Connection setup = side.connection(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE memory_entries(key TEXT PRIMARY KEY, value TEXT)");
            for (int key = 0; key < KEYS; key++) {
                statement.execute("INSERT INTO memory_entries VALUES ('key-" + key + "', printf('%.2000c', 'x'))");
            }
        }
        AtomicBoolean writersDone = new AtomicBoolean();
        AtomicLong walHighWater = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(READERS + WRITERS);
        long started = System.nanoTime();
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                boolean manualMode = r % 2 == 0;
                readers.add(threads.submit(() -> {
                    while (!writersDone.get()) {
                        try (Connection connection = side.connection()) {
                            if (manualMode) {
                                side.readOnlyTransactions(connection);
                            }
                            for (int i = 0; i < 20 && !writersDone.get(); i++) {
                                read(connection, manualMode);
                                reads.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(threads.submit(() -> {
                    String payload = "{\"writer\": " + writer + ", \"note\": \"" + "n".repeat(2_000) + "\"}";
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        try (Connection connection = side.connection();
                             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                            upsert.setString(1, "key-" + (i * WRITERS + writer) % KEYS);
                            upsert.setString(2, payload + i);
                            upsert.executeUpdate();
                            writes.incrementAndGet();
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                        }
                        walHighWater.accumulateAndGet(size(wal), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(10, TimeUnit.MINUTES);
            }
            writersDone.set(true);
            for (Future<?> reader : readers) {
                reader.get(1, TimeUnit.MINUTES);
            }
        } finally {
            writersDone.set(true);
            threads.shutdownNow();
        }
        return new Load(walHighWater.get(), writes.get(), reads.get(), errors.get(), System.nanoTime() - started);
    }

    private static void read(Connection connection, boolean manualMode) throws SQLException {
        try (PreparedStatement range = connection.prepareStatement(
                "SELECT key, value FROM memory_entries WHERE key >= ? ORDER BY key LIMIT 5")) {
            range.setString(1, "key-" + Math.floorMod(System.nanoTime(), KEYS));
            try (ResultSet rows = range.executeQuery()) {
                while (rows.next()) {
                    rows.getString(2);
                }
            }
        }
        try (Statement count = connection.createStatement();
             ResultSet row = count.executeQuery("SELECT count(*) FROM memory_entries")) {
            row.next();
        }
        if (manualMode) {
            connection.commit();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
