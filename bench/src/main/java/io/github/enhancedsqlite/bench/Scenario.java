package io.github.enhancedsqlite.bench;

/**
 * One side-by-side measurement. A new scenario implements this, is listed in {@link Scenarios}, and is then
 * selectable by name on the command line; {@link PairedRounds} gives it interleaved, warmed-up timing.
 */
interface Scenario {

    /** Short name used on the command line, e.g. {@code open-query-close}. */
    String name();

    /** One line saying what is measured, as the issue put it. */
    String title();

    /** Runs both sides on their own fresh copies of the workspace's seeded database and reports. */
    ScenarioResult run(Workspace workspace, RoundPlan plan) throws Exception;
}
