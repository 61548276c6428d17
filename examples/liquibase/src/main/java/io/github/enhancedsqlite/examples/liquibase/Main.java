package io.github.enhancedsqlite.examples.liquibase;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Updates a database with Liquibase through the driver, by URL alone, then uses it. Run it twice on the same
 * directory: the second run finds no change set to apply.
 *
 * <p>Usage: {@code java -jar examples/liquibase/target/liquibase.jar [directory]}; {@code memory.db} is left there.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("liquibase-example");
        Files.createDirectories(dir);
        String url = "jdbc:enhanced-sqlite:" + dir.resolve("memory.db") + "?compress=auto";
        int exit = Changelog.update(url);
        if (exit != 0) {
            throw new IllegalStateException("liquibase update failed with exit code " + exit);
        }
        // Closing the DataSource closes the driver's pool: WAL checkpointed, no -wal/-shm file left behind.
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            Memories memories = new Memories(dataSource);
            long id = memories.remember("librarian", "run", "{\"text\":\"ran the Liquibase example\"}");
            memories.pin(id);
            memories.of("librarian").forEach(memory -> System.out.printf("  %s: %s (%d characters)%n",
                    memory.topic(), memory.pinned() ? "pinned" : "not pinned", memory.body().length()));
        }
    }
}
