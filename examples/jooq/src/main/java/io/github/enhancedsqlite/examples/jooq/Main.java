package io.github.enhancedsqlite.examples.jooq;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * jOOQ on the driver: documents added (ids generated), one revised, searched and summed up in a read-only
 * transaction.
 *
 * <p>Usage: {@code java -jar examples/jooq/target/jooq.jar [directory]}; {@code documents.db} is left there.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // jOOQ prints a logo and a tip at start-up; an example's output should be its own.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("jooq-example");
        Files.createDirectories(dir);
        // Closing the DataSource closes the driver's pool: WAL checkpointed, no -wal/-shm file left behind.
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(
                "jdbc:enhanced-sqlite:" + dir.resolve("documents.db") + "?compress=auto")) {
            Documents documents = new Documents(dataSource);
            documents.createSchema();
            long id = documents.add("session log", SampleDocument.json(60));
            documents.revise(id, SampleDocument.json(61));
            documents.add("note", "swap the JDBC URL");
            long[] summary = documents.summary();
            System.out.println(dataSource.getUrl());
            System.out.printf("  document %d at revision %d; %d documents mention \"reformatted\"%n", id,
                    documents.find(id).orElseThrow().revision(), documents.search("reformatted").size());
            System.out.printf("  read-only summary: %d documents, %d characters%n", summary[0], summary[1]);
        }
    }
}
