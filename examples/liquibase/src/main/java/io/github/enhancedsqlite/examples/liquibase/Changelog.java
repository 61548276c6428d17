package io.github.enhancedsqlite.examples.liquibase;

import liquibase.integration.commandline.LiquibaseCommandLine;

/**
 * Runs Liquibase's own command line ({@code liquibase update}) in this JVM, given nothing but the driver's URL: the
 * driver tells Liquibase which driver class the {@code jdbc:enhanced-sqlite:} prefix needs, so no {@code --driver}.
 */
public final class Changelog {

    /** The change log, on the class path. */
    public static final String FILE = "db/changelog.yaml";

    private Changelog() {
    }

    /** {@code liquibase update}; returns the command line's exit code (0: applied, or nothing left to apply). */
    public static int update(String url) {
        return new LiquibaseCommandLine().execute(new String[] {
            "--show-banner=false", "--log-level=WARNING", "update", "--url=" + url, "--changelog-file=" + FILE});
    }
}
