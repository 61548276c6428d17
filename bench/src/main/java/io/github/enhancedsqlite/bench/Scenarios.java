package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every scenario, in the order a full run executes them, in groups that can be run on their own: single-thread
 * timing of reads, concurrent writers, and transparent compression (sizes and timings, off vs auto). A new scenario
 * is added to one group and nowhere else.
 */
final class Scenarios {

    static final List<Scenario> READS = List.of(
            new OpenQueryClose(),
            new PreparedPointSelect());

    static final List<Scenario> WRITERS = List.of(
            new AutocommitWriters(),
            new ReadUpdateTransactions(),
            new MultiProcessCounters());

    static final List<Scenario> COMPRESSION = List.of(
            new CorpusSizes(false),
            new CorpusSizes(true),
            new WorkloadSizes(),
            new CompressedUpserts(),
            new CompressedPointReads(),
            new CompressedLikeSearch());

    /** Issue 13: the WAL under readers that never pause, and files after migrate. */
    static final List<Scenario> FOOTPRINT = List.of(
            new WalHighWater(),
            new MigrateSizes());

    /** Issue 14: short-lived processes and many files, in child JVMs. */
    static final List<Scenario> STARTUP = List.of(
            new OneShotProcess(),
            new ManyShortLivedFiles(),
            new FreshJvmOpenQueryClose());

    /** Issue 17: transactions that begin as readers, in YCSB and Spring shapes. */
    static final List<Scenario> READERS = List.of(
            ReaderMixes.ycsb(),
            ReaderMixes.springUnits());

    static final List<Scenario> ALL = Stream.of(READS, WRITERS, COMPRESSION, FOOTPRINT, STARTUP, READERS)
            .flatMap(List::stream).toList();

    /** Group names accepted on the command line wherever a scenario name is, in the order usage lists them. */
    static final Map<String, List<Scenario>> GROUPS = groups();

    private Scenarios() {
    }

    /** The scenarios or groups named, in the order given; all of them when no name is given. */
    static List<Scenario> select(List<String> names) {
        if (names.isEmpty()) {
            return ALL;
        }
        List<Scenario> selected = new ArrayList<>();
        for (String name : names) {
            if (GROUPS.containsKey(name)) {
                selected.addAll(GROUPS.get(name));
                continue;
            }
            selected.add(ALL.stream()
                    .filter(scenario -> scenario.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown scenario '" + name + "'; known: " + names() + "; groups: "
                                    + String.join(", ", GROUPS.keySet()))));
        }
        return selected;
    }

    private static Map<String, List<Scenario>> groups() {
        Map<String, List<Scenario>> groups = new LinkedHashMap<>();
        groups.put("reads", READS);
        groups.put("writers", WRITERS);
        groups.put("compression", COMPRESSION);
        groups.put("footprint", FOOTPRINT);
        groups.put("startup", STARTUP);
        groups.put("readers", READERS);
        return Collections.unmodifiableMap(groups);
    }

    static String names() {
        return ALL.stream().map(Scenario::name).collect(Collectors.joining(", "));
    }
}
