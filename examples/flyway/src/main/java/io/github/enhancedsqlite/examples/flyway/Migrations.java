package io.github.enhancedsqlite.examples.flyway;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Flyway over the driver's DataSource. Flyway takes a URL too ({@code dataSource(url, "", "")}, the command line's
 * {@code -url}, the Maven plugin's {@code <url>}): the driver brings a Flyway plugin that recognises
 * {@code jdbc:enhanced-sqlite:}. Either way Flyway sees a connection whose product name is "SQLite" and migrates
 * it with its own SQLite support. A DataSource lets the application share it with the code that uses the schema.
 */
public final class Migrations {

    private Migrations() {
    }

    public static Flyway flyway(DataSource dataSource, String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations.length == 0 ? new String[] {"classpath:db/migration"} : locations)
                .load();
    }
}
