package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Issue 17's transaction mixes on {@link UserTable}, raw sqlite-jdbc (HikariCP, the same pragmas) beside the enhanced
 * driver with its defaults: (a) YCSB-shaped — 8 terminals on long-held connections, auto-commit off, 50% read, 15% scan
 * of 20 rows, 10% update, 5% insert, 10% delete, 10% read-modify-write; (b) Spring-shaped — units that borrow a
 * connection each, as a plain {@code @Transactional} method does, 90% only reading (a row and a scan), 10% reading then
 * writing a row. On raw sqlite-jdbc a transaction begins DEFERRED, so a unit that reads then writes fails with
 * SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT when another writer came first: those are the errors counted on that side.
 */
final class ReaderMixes implements Scenario {

    static final Segments.Plan PLAN = new Segments.Plan(8, 2_000_000_000L, 5, 3_000_000_000L);

    static final MixLoad.Mix YCSB = random -> {
        int dice = random.nextInt(100);
        if (dice < 50) {
            return (c, r, thread, sequence) -> UserTable.read(c, key(r));
        } else if (dice < 65) {
            return (c, r, thread, sequence) -> UserTable.scan(c, key(r));
        } else if (dice < 75) {
            return (c, r, thread, sequence) -> UserTable.update(c, key(r), UserTable.field(r));
        } else if (dice < 80) {
            return (c, r, thread, sequence) -> UserTable.insert(c, sequence, r);
        } else if (dice < 90) {
            return (c, r, thread, sequence) -> UserTable.delete(c, key(r));
        }
        return ReaderMixes::readModifyWrite;
    };

    static final MixLoad.Mix SPRING = random -> random.nextInt(100) < 90
            ? (c, r, thread, sequence) -> {
                UserTable.read(c, key(r));
                UserTable.scan(c, key(r));
            }
            : ReaderMixes::readModifyWrite;

    private final String name;
    private final String title;
    private final MixLoad.Mix mix;
    private final boolean holdConnection;
    private final boolean p99Target;

    private ReaderMixes(String name, String title, MixLoad.Mix mix, boolean holdConnection, boolean p99Target) {
        this.name = name;
        this.title = title;
        this.mix = mix;
        this.holdConnection = holdConnection;
        this.p99Target = p99Target;
    }

    static ReaderMixes ycsb() {
        return new ReaderMixes("ycsb", "(17a) YCSB-shaped: " + PLAN.threads() + " terminals on long-held connections,"
                + " auto-commit off, " + UserTable.ROWS + " rows × 3 × " + UserTable.FIELD_LENGTH + " chars; 50% read,"
                + " 15% scan of " + UserTable.SCAN_LENGTH + ", 10% update, 5% insert, 10% delete, 10% read-modify-write",
                YCSB, true, true);
    }

    static ReaderMixes springUnits() {
        return new ReaderMixes("spring-units", "(17b) Spring-shaped: " + PLAN.threads() + " threads of"
                + " @Transactional-like units, a connection borrowed per unit; 90% read a row and scan "
                + UserTable.SCAN_LENGTH + ", 10% read then update a row", SPRING, false, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception {
        Path rawFile = workspace.newDatabase(name + "-raw");
        Path enhancedFile = workspace.newDatabase(name + "-enhanced");
        UserTable.create(rawFile);
        UserTable.create(enhancedFile);
        long epoch = System.nanoTime();
        LoadResult[] rawRuns = new LoadResult[PLAN.segments()];
        LoadResult[] enhancedRuns = new LoadResult[PLAN.segments()];
        long[] walBytes = new long[2];
        try (PooledDatabase raw = PooledDatabase.open(Workspace.rawUrl(rawFile));
                PooledDatabase enhanced = PooledDatabase.open(workspace.enhancedUrl(enhancedFile))) {
            MixLoad.run(raw.dataSource(), mix, holdConnection, PLAN.threads(), PLAN.warmupNanos(), -1);
            MixLoad.run(enhanced.dataSource(), mix, holdConnection, PLAN.threads(), PLAN.warmupNanos(), -2);
            for (int segment = 0; segment < PLAN.segments(); segment++) {
                boolean rawFirst = segment % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean rawNow = rawFirst == (k == 0);
                    LoadResult result = MixLoad.run((rawNow ? raw : enhanced).dataSource(), mix, holdConnection,
                            PLAN.threads(), PLAN.segmentNanos(), segment);
                    (rawNow ? rawRuns : enhancedRuns)[segment] = result;
                }
            }
            walBytes[0] = walSize(rawFile);
            walBytes[1] = walSize(enhancedFile);
        }
        Side raw = new Side(rawRuns, epoch);
        Side enhanced = new Side(enhancedRuns, epoch);
        double[] ratios = new double[PLAN.segments()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = enhanced.perSecond[i] / raw.perSecond[i];
        }
        List<ScenarioResult.Row> rows = new ArrayList<>();
        rows.add(new ScenarioResult.Row("successful tx/s (median of " + ratios.length + " segments)",
                WriterReport.perSecond(Stats.median(raw.perSecond)) + " "
                        + Stats.formatSpread(Stats.relativeSpread(raw.perSecond)),
                WriterReport.perSecond(Stats.median(enhanced.perSecond)) + " "
                        + Stats.formatSpread(Stats.relativeSpread(enhanced.perSecond)),
                WriterReport.pairedRatio(ratios, Stats.median(enhanced.perSecond) / Stats.median(raw.perSecond))));
        rows.addAll(WriterReport.latencyRows("", raw.latencies, enhanced.latencies));
        rows.add(new ScenarioResult.Row("errors seen by the application", raw.errors.describe(),
                enhanced.errors.describe(), "—"));
        rows.add(new ScenarioResult.Row("40001 rollbacks run again (counted in attempts, not errors)",
                Long.toString(raw.replays), Long.toString(enhanced.replays), "—"));
        List<Target.Verdict> verdicts = new ArrayList<>();
        verdicts.add(WriterReport.throughputAtLeast("successful tx/s", 1.5, ratios));
        verdicts.add(WriterReport.noErrors("", enhanced.errors));
        if (p99Target) {
            double rawP99 = raw.latencies.quantile(0.99);
            double enhancedP99 = enhanced.latencies.quantile(0.99);
            verdicts.add(new Target.Verdict("target p99 ≤ raw's", enhancedP99 <= rawP99,
                    "enhanced " + Stats.formatNanos(enhancedP99) + ", raw " + Stats.formatNanos(rawP99)));
        }
        List<String> notes = List.of(
                "method: " + PLAN.describe() + " (sides alternate which runs first); keys uniform over the loaded"
                        + " rows, inserts above them; a unit rolled back with 40001 is run again and its latency"
                        + " spans every attempt",
                "raw attempts " + raw.attempts + ", committed " + raw.successes + "; enhanced attempts "
                        + enhanced.attempts + ", committed " + enhanced.successes,
                "slow raw transactions: " + raw.latencies.describeSlow(WriterReport.SLOW_NANOS, 3),
                "slow enhanced transactions: " + enhanced.latencies.describeSlow(WriterReport.SLOW_NANOS, 3),
                "-wal file after the measured segments (readers that never pause keep SQLite from restarting it):"
                        + " raw " + walBytes[0] / 1024 + " KiB, enhanced " + walBytes[1] / 1024 + " KiB");
        return new ScenarioResult(this, WriterReport.HEADING, rows, verdicts, notes);
    }

    private static long walSize(Path database) throws java.io.IOException {
        Path wal = database.resolveSibling(database.getFileName() + "-wal");
        return java.nio.file.Files.exists(wal) ? java.nio.file.Files.size(wal) : 0;
    }

    private static int key(SplittableRandom random) {
        return 1 + random.nextInt(UserTable.ROWS);
    }

    /** YCSB's read-modify-write: read a row, then write one of its fields. */
    private static void readModifyWrite(Connection connection, SplittableRandom random, int thread, long sequence)
            throws java.sql.SQLException {
        int key = key(random);
        UserTable.read(connection, key);
        UserTable.update(connection, key, UserTable.field(random));
    }

    /** One side's measured segments pooled. */
    private static final class Side {
        final double[] perSecond;
        final Latencies latencies;
        final ErrorCounts errors = new ErrorCounts();
        long successes;
        long attempts;
        long replays;

        Side(LoadResult[] runs, long epoch) {
            perSecond = new double[runs.length];
            List<Latencies.Log> logs = new ArrayList<>();
            for (int i = 0; i < runs.length; i++) {
                perSecond[i] = runs[i].perSecond();
                errors.addAll(runs[i].errors());
                logs.addAll(runs[i].latencies());
                successes += runs[i].successes();
                attempts += runs[i].attempts();
            }
            replays = attempts - successes - errors.total();
            latencies = Latencies.merge(logs, epoch);
        }
    }
}
