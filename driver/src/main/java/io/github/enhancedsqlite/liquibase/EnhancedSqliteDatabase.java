package io.github.enhancedsqlite.liquibase;

import io.github.enhancedsqlite.EnhancedSqliteDriver;
import io.github.enhancedsqlite.config.ConfigParser;
import liquibase.database.DatabaseConnection;
import liquibase.database.core.SQLiteDatabase;

/**
 * Teaches Liquibase the {@code jdbc:enhanced-sqlite:} URL, so that {@code --url} alone (command line, Maven plugin,
 * {@code DatabaseFactory.openDatabase}) finds the driver without {@code --driver}. Liquibase loads it through
 * {@code ServiceLoader} ({@code META-INF/services/liquibase.database.Database}).
 *
 * <p>Only the driver is ours. Once connected, Liquibase picks the implementation whose
 * {@code isCorrectDatabaseImplementation} accepts the connection; this one declines, so the connection (whose
 * product name is "SQLite") gets Liquibase's own SQLite support, and change sets behave exactly as on sqlite-jdbc.
 */
public final class EnhancedSqliteDatabase extends SQLiteDatabase {

    @Override
    public String getDefaultDriver(String url) {
        return ConfigParser.accepts(url) ? EnhancedSqliteDriver.class.getName() : null;
    }

    @Override
    public String getShortName() {
        return "enhanced-sqlite";
    }

    @Override
    public boolean isCorrectDatabaseImplementation(DatabaseConnection connection) {
        return false;
    }
}
