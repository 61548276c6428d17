package io.github.enhancedsqlite.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the same agent-memory workload through plain {@code jdbc:sqlite:} and through
 * {@code jdbc:enhanced-sqlite:}, each on its own fresh copy of the same starting data, and reports the
 * differences. Plain runs first; the enhanced side's pools are shut down at the end as the app would at exit.
 */
final class Demo {

    static final String PLAIN_PREFIX = "jdbc:sqlite:";
    static final String ENHANCED_PREFIX = "jdbc:enhanced-sqlite:";

    /** How the app ends its use of a database; may throw whatever the driver's shutdown declares. */
    @FunctionalInterface
    interface Shutdown {
        void run() throws Exception;
    }

    /**
     * @param report         the side-by-side text
     * @param startingData   what both sides started from
     * @param plain          the baseline side
     * @param enhanced       the enhanced side
     * @param failedChecks   promises of the enhanced driver that this run saw broken; empty when all held
     */
    record Outcome(String report, StartingData startingData, SideReport plain, SideReport enhanced,
                   List<String> failedChecks) {
    }

    private final DemoOptions options;
    private final Shutdown enhancedShutdown;
    private final PrintStream progress;

    Demo(DemoOptions options, Shutdown enhancedShutdown, PrintStream progress) {
        this.options = options;
        this.enhancedShutdown = enhancedShutdown;
        this.progress = progress;
    }

    Outcome run() throws Exception {
        boolean temporary = options.workDir() == null;
        Path dir = temporary ? Files.createTempDirectory("enhanced-sqlite-demo") : prepareEmpty(options.workDir());
        try {
            StartingData data = StartingData.prepare(options, dir);
            Path plainDb = copyOf(data, dir.resolve("plain"));
            Path enhancedDb = copyOf(data, dir.resolve("enhanced"));

            SideReport plain = runSide("jdbc:sqlite: (plain)", PLAIN_PREFIX + plainDb, plainDb, data,
                    // Plain sqlite-jdbc has nothing to shut down: the app closed every connection it opened.
                    () -> { });
            SideReport enhanced = runSide(ENHANCED_PREFIX, ENHANCED_PREFIX + enhancedDb, enhancedDb, data,
                    enhancedShutdown);

            List<String> failed = enhancedChecks(enhanced);
            String report = new ReportTable(options, data, plain, enhanced, failed).render();
            if (!temporary) {
                report += System.lineSeparator() + "databases kept in " + dir.toAbsolutePath()
                        + System.lineSeparator();
            }
            return new Outcome(report, data, plain, enhanced, failed);
        } catch (Exception | Error e) {
            // Pools left open would keep the files busy and, at JVM exit, print a second, confusing failure.
            try {
                enhancedShutdown.run();
            } catch (Exception | Error again) {
                e.addSuppressed(again);
            }
            throw e;
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private SideReport runSide(String title, String url, Path db, StartingData data, Shutdown shutdown)
            throws Exception {
        ErrorTally errors = new ErrorTally();
        AgentMemoryWorkload workload = new AgentMemoryWorkload(url, data);
        progress.printf(Locale.ROOT, "%-22s warm-up %.1f s, then %.1f s measured, %d threads...%n", title,
                options.warmUp().toMillis() / 1000.0, options.durationPerSide().toMillis() / 1000.0,
                options.threads());
        // A different stream for warm-up, so the measured part is not a replay of what was just cached.
        workload.run(options.threads(), ~options.seed(), options.warmUp(), errors);
        AgentMemoryWorkload.Result measured =
                workload.run(options.threads(), options.seed(), options.durationPerSide(), errors);
        Ledger.Check ledger = Ledger.run(url, options.threads(), errors);
        var pragmas = EffectivePragmas.read(url);
        long rows;
        String quickCheck;
        try (Connection c = DriverManager.getConnection(url);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM memory_entries")) {
                rs.next();
                rows = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                rs.next();
                quickCheck = rs.getString(1);
            }
        }
        FileState before = FileState.of(db);
        shutdown.run();
        FileState after = FileState.of(db);
        return new SideReport(title, url, pragmas, measured, errors.byKind(), ledger, rows, quickCheck, before,
                after);
    }

    /** What DESIGN.md promises for this workload, checked on what this run actually observed. */
    static List<String> enhancedChecks(SideReport enhanced) {
        List<String> failed = new ArrayList<>();
        if (!"wal".equals(enhanced.pragmas().get("journal_mode"))) {
            failed.add("journal_mode is " + enhanced.pragmas().get("journal_mode") + ", expected wal");
        }
        if (enhanced.errorCount() > 0) {
            failed.add(enhanced.errorCount() + " operations failed (see errors by kind)");
        }
        if (!enhanced.ledger().intact()) {
            failed.add("ledger: " + enhanced.ledger().wrongKeys() + " keys differ from the acknowledged writes");
        }
        if (!"ok".equals(enhanced.quickCheck())) {
            failed.add("quick_check: " + enhanced.quickCheck());
        }
        if (enhanced.afterShutdown().hasWalOrShm()) {
            failed.add("left after shutdown: " + enhanced.afterShutdown().sideFilesText());
        }
        return failed;
    }

    private static Path copyOf(StartingData data, Path sideDir) throws IOException {
        Files.createDirectories(sideDir);
        Path db = sideDir.resolve("memory.db");
        StartingData.copyFresh(data.file(), db);
        return db;
    }

    /** Refuses a directory with files in it: the demo must never overwrite someone's database. */
    private static Path prepareEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("--dir " + dir + " exists and is not a directory");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new IOException("--dir " + dir + " is not empty; give an empty or new directory");
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static boolean sameLedger(SideReport a, SideReport b) {
        return a.ledger().actual().equals(b.ledger().actual());
    }
}
