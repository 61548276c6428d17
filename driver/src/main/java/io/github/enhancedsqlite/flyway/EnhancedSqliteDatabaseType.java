package io.github.enhancedsqlite.flyway;

import io.github.enhancedsqlite.EnhancedSqliteDriver;
import io.github.enhancedsqlite.config.ConfigParser;
import java.sql.Connection;
import org.flywaydb.core.internal.database.sqlite.SQLiteDatabaseType;

/**
 * Teaches Flyway the {@code jdbc:enhanced-sqlite:} URL, so that a URL alone (the API's {@code dataSource(url, user,
 * password)}, the command line's {@code -url}, the Maven plugin's {@code <url>}, Spring Boot's
 * {@code spring.flyway.url}) finds the driver. Flyway loads it as a plugin through {@code ServiceLoader}
 * ({@code META-INF/services/org.flywaydb.core.extensibility.Plugin}).
 *
 * <p>Only the URL and the driver class are ours. Once connected, Flyway picks its database support from the
 * connection's product name, "SQLite", which stays Flyway's own SQLite support: this type does not claim it, so
 * migrations run exactly as they would on sqlite-jdbc.
 */
public final class EnhancedSqliteDatabaseType extends SQLiteDatabaseType {

    @Override
    public String getName() {
        return "Enhanced SQLite";
    }

    @Override
    public boolean handlesJDBCUrl(String url) {
        return ConfigParser.accepts(url);
    }

    @Override
    public String getDriverClass(String url, ClassLoader classLoader) {
        return EnhancedSqliteDriver.class.getName();
    }

    @Override
    public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion,
            Connection connection) {
        return false;
    }
}
