package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every scenario, in the order a full run executes them, in two groups that can be run on their own: single-thread
 * timing of reads, and concurrent writers. A new scenario is added to one group and nowhere else.
 */
final class Scenarios {

    static final List<Scenario> READS = List.of(
            new OpenQueryClose(),
            new PreparedPointSelect());

    static final List<Scenario> WRITERS = List.of(
            new AutocommitWriters(),
            new ReadUpdateTransactions(),
            new MultiProcessCounters());

    static final List<Scenario> ALL = Stream.concat(READS.stream(), WRITERS.stream()).toList();

    /** Group names accepted on the command line wherever a scenario name is. */
    static final Map<String, List<Scenario>> GROUPS = Map.of("reads", READS, "writers", WRITERS);

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
                            "unknown scenario '" + name + "'; known: " + names() + "; groups: reads, writers")));
        }
        return selected;
    }

    static String names() {
        return ALL.stream().map(Scenario::name).collect(Collectors.joining(", "));
    }
}
