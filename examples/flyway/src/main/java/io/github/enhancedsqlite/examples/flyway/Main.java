package io.github.enhancedsqlite.examples.flyway;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Migrates a database with Flyway through the driver, then uses it. Run it twice on the same directory: the
 * second run finds nothing to migrate.
 *
 * <p>Usage: {@code java -jar examples/flyway/target/flyway.jar [directory]}; {@code tasks.db} is left there.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("flyway-example");
        Files.createDirectories(dir);
        // Closing the DataSource closes the driver's pool: WAL checkpointed, no -wal/-shm file left behind.
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(
                "jdbc:enhanced-sqlite:" + dir.resolve("tasks.db") + "?compress=auto")) {
            Flyway flyway = Migrations.flyway(dataSource);
            MigrateResult result = flyway.migrate();
            System.out.println(dataSource.getUrl());
            System.out.printf("  %s: %d migration(s) applied, schema now at version %s%n", result.databaseType,
                    result.migrationsExecuted, flyway.info().current().getVersion());
            Tasks tasks = new Tasks(dataSource);
            long id = tasks.add("example", "Run the Flyway example", "twice, to see nothing migrate");
            tasks.complete(id);
            tasks.open("inbox").forEach(task -> System.out.printf("  open in inbox: %s (%d characters of details)%n",
                    task.title(), task.details().length()));
        }
    }
}
