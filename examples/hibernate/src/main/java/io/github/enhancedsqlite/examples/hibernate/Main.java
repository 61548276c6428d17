package io.github.enhancedsqlite.examples.hibernate;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * JPA on the driver: an author and two articles stored with generated ids, one edited (its version goes up), then
 * read back in a read-only transaction.
 *
 * <p>Usage: {@code java -jar examples/hibernate/target/hibernate.jar [directory]}; the database file
 * {@code articles.db} is left there.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Hibernate logs through JBoss Logging, which would print its start-up INFO lines to the console; sent to
        // SLF4J they obey src/main/resources/simplelogger.properties (warnings only) like the driver's own.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("hibernate-example");
        Files.createDirectories(dir);
        // Closing the DataSource closes the driver's pool: WAL checkpointed, no -wal/-shm file left behind.
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(
                     "jdbc:enhanced-sqlite:" + dir.resolve("articles.db") + "?compress=auto");
             EntityManagerFactory factory = Jpa.open(dataSource)) {
            long articleId = factory.callInTransaction(em -> {
                Author author = new Author("Ada");
                em.persist(author);
                Article log = new Article(author, "Session log", SampleDocument.json(60));
                em.persist(log);
                em.persist(new Article(author, "Short note", "swap the JDBC URL"));
                return log.getId();
            });
            factory.runInTransaction(em -> em.find(Article.class, articleId).setTitle("Session log (reviewed)"));

            List<String> lines = Jpa.inReadOnlyTransaction(factory, em -> em.createQuery(
                            "select a from Article a join fetch a.author order by a.id", Article.class)
                    .getResultStream()
                    .map(a -> String.format("article %d by %s, version %d: %s (%d characters)", a.getId(),
                            a.getAuthor().getName(), a.getVersion(), a.getTitle(), a.getBody().length()))
                    .toList());
            System.out.println(dataSource.getUrl());
            lines.forEach(line -> System.out.println("  " + line));
        }
    }
}
