package io.github.enhancedsqlite.examples.mybatis;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MyBatis on the driver: bookmarks stored (ids generated), visited, searched and counted in a read-only transaction.
 *
 * <p>Usage: {@code java -jar examples/mybatis/target/mybatis.jar [directory]}; {@code bookmarks.db} is left there.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("mybatis-example");
        Files.createDirectories(dir);
        // Closing the DataSource closes the driver's pool: WAL checkpointed, no -wal/-shm file left behind.
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(
                "jdbc:enhanced-sqlite:" + dir.resolve("bookmarks.db") + "?compress=auto")) {
            Bookmarks bookmarks = new Bookmarks(dataSource);
            bookmarks.createSchema();
            long id = bookmarks.add(new Bookmark("https://example.org/log-" + System.nanoTime(), "Session log",
                    SampleDocument.json(60)));
            bookmarks.visit(id);
            Bookmark stored = bookmarks.find(id);
            System.out.println(dataSource.getUrl());
            System.out.printf("  bookmark %d: %s, %d visit(s), snapshot of %d characters%n", id, stored.getTitle(),
                    stored.getVisits(), stored.getSnapshot().length());
            System.out.printf("  read-only count: %d bookmark(s), %d mention \"reformatted\"%n",
                    bookmarks.readOnly(BookmarkMapper::count), bookmarks.search("reformatted").size());
        }
    }
}
