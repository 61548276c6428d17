package io.github.enhancedsqlite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Every scenario, in the order a full run executes them. A new scenario is added to {@link #ALL} and nowhere else. */
final class Scenarios {

    static final List<Scenario> ALL = List.of(
            new OpenQueryClose(),
            new PreparedPointSelect());

    private Scenarios() {
    }

    /** The scenarios named, in the order given; all of them when no name is given. */
    static List<Scenario> select(List<String> names) {
        if (names.isEmpty()) {
            return ALL;
        }
        List<Scenario> selected = new ArrayList<>();
        for (String name : names) {
            selected.add(ALL.stream()
                    .filter(scenario -> scenario.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown scenario '" + name + "'; known: " + names())));
        }
        return selected;
    }

    static String names() {
        return ALL.stream().map(Scenario::name).collect(Collectors.joining(", "));
    }
}
