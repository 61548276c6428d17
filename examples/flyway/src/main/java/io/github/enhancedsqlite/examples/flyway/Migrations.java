package io.github.enhancedsqlite.examples.flyway;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Flyway over the driver. Flyway picks its database support in one of two ways: from a JDBC URL (its
 * {@code url} setting), by prefix, where it knows {@code jdbc:sqlite:} but not {@code jdbc:enhanced-sqlite:}; or,
 * given a DataSource, from the product name of a connection's metadata, which the driver reports as "SQLite". So
 * the driver's DataSource is what Flyway gets.
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
