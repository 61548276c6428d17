package io.github.enhancedsqlite.examples.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hibernate ORM 7 through the driver's DataSource, on a real file with the default profile and compress=auto. */
class HibernateExampleTest {

    @TempDir
    Path dir;

    private EnhancedSqliteDataSource dataSource;
    private EntityManagerFactory factory;

    @BeforeEach
    void open() {
        dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + dir.resolve("articles.db") + "?compress=auto");
        factory = Jpa.open(dataSource);
    }

    @AfterEach
    void close() {
        factory.close();
        dataSource.close();
    }

    private Author storeAuthorWithArticles(String name, String... bodies) {
        return factory.callInTransaction(em -> {
            Author author = new Author(name);
            em.persist(author);
            for (int i = 0; i < bodies.length; i++) {
                em.persist(new Article(author, name + " #" + i, bodies[i]));
            }
            return author;
        });
    }

    @Test
    void generatedIdsUpdatesDeletesAndQueriesOverARelation() {
        Author ada = storeAuthorWithArticles("Ada", "first", "second");
        Author bob = storeAuthorWithArticles("Bob", "third");
        assertThat(ada.getId()).isNotNull();
        assertThat(bob.getId()).isGreaterThan(ada.getId());
        List<Long> adaArticles = ada.getArticles().stream().map(Article::getId).toList();
        assertThat(adaArticles).doesNotContainNull().doesNotHaveDuplicates().hasSize(2);

        factory.runInTransaction(em -> {
            Article first = em.find(Article.class, adaArticles.get(0));
            first.setTitle("first, edited");
            em.remove(em.find(Article.class, adaArticles.get(1)));
        });

        try (EntityManager em = factory.createEntityManager()) {
            Article first = em.find(Article.class, adaArticles.get(0));
            assertThat(first.getTitle()).isEqualTo("first, edited");
            assertThat(first.getVersion()).isEqualTo(1);
            assertThat(first.getAuthor().getName()).isEqualTo("Ada");
            assertThat(em.find(Article.class, adaArticles.get(1))).isNull();
            assertThat(em.createQuery("select a.title from Article a where a.author.name = :name order by a.id",
                    String.class).setParameter("name", "Bob").getResultList()).containsExactly("Bob #0");
            assertThat(em.createQuery("select count(a) from Article a", Long.class).getSingleResult()).isEqualTo(2);
        }
    }

    @Test
    void staleUpdateFailsWithOptimisticLockExceptionAndTheNewerValueStays() {
        long id = storeAuthorWithArticles("Ada", "original").getArticles().get(0).getId();

        try (EntityManager stale = factory.createEntityManager()) {
            // Read outside a transaction (a form shown to a user, say). Holding a write transaction open here
            // while this same thread commits another one below would be refused by the driver: one thread cannot
            // wait for its own writer turn.
            Article staleCopy = stale.find(Article.class, id);
            assertThat(staleCopy.getVersion()).isZero();

            // Someone else updates the article meanwhile (its version becomes 1).
            factory.runInTransaction(em -> em.find(Article.class, id).setBody("newer"));

            stale.getTransaction().begin();
            staleCopy.setBody("stale overwrite");
            assertThatThrownBy(stale::flush).isInstanceOf(OptimisticLockException.class);
            stale.getTransaction().rollback();
        }

        try (EntityManager em = factory.createEntityManager()) {
            Article current = em.find(Article.class, id);
            assertThat(current.getBody()).isEqualTo("newer");
            assertThat(current.getVersion()).isEqualTo(1);
        }
    }

    @Test
    void failedTransactionIsRolledBackAndNoneOfItsRowsRemain() {
        storeAuthorWithArticles("Ada", "kept");

        assertThatThrownBy(() -> factory.runInTransaction(em -> {
            Author carl = new Author("Carl");
            em.persist(carl);
            em.persist(new Article(carl, "written", SampleDocument.json(20)));
            em.flush(); // the rows are in the database, inside the transaction
            throw new IllegalStateException("business rule failed after the inserts");
        })).isInstanceOf(IllegalStateException.class);

        try (EntityManager em = factory.createEntityManager()) {
            assertThat(em.createQuery("select a.name from Author a", String.class).getResultList())
                    .containsExactly("Ada");
            assertThat(em.createQuery("select a.title from Article a", String.class).getResultList())
                    .containsExactly("Ada #0");
        }
    }

    @Test
    void readOnlyTransactionReadsAndRefusesAWrite() {
        storeAuthorWithArticles("Ada", "one", "two");

        long count = Jpa.inReadOnlyTransaction(factory,
                em -> em.createQuery("select count(a) from Article a", Long.class).getSingleResult());
        assertThat(count).isEqualTo(2);

        assertThatThrownBy(() -> Jpa.inReadOnlyTransaction(factory, em -> {
            em.persist(new Author("Eve"));
            em.flush();
            return null;
        })).isInstanceOf(PersistenceException.class).rootCause().hasMessageContaining("readonly");

        // The connection went back to the pool writable again: a normal transaction still writes.
        storeAuthorWithArticles("Bob", "three");
        try (EntityManager em = factory.createEntityManager()) {
            assertThat(em.createQuery("select a.name from Author a order by a.id", String.class).getResultList())
                    .containsExactly("Ada", "Bob");
        }
    }

    @Test
    void longBodyIsStoredCompressedAndReadsBackEqualThroughHibernate() throws SQLException {
        String body = SampleDocument.json(60);
        long id = storeAuthorWithArticles("Ada", body).getArticles().get(0).getId();

        try (EntityManager em = factory.createEntityManager()) {
            assertThat(em.find(Article.class, id).getBody()).isEqualTo(body);
            // A query that reads the column in WHERE and in a function: the driver decompresses in SQL.
            assertThat(em.createQuery("select length(a.body) from Article a where a.body like :word", Integer.class)
                    .setParameter("word", "%\"seq\":59,%").getResultList()).containsExactly(body.length());
        }

        // Plain sqlite-jdbc sees what is in the file: the driver's zstd envelope, much smaller than the text.
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("articles.db"));
             PreparedStatement ps = plain.prepareStatement("SELECT typeof(body), body FROM Article WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("blob");
                byte[] stored = rs.getBytes(2);
                assertThat(Arrays.copyOf(stored, 4)).containsExactly(0xEC, 0x45, 0x53, 0x5A);
                assertThat(stored.length).isLessThan(body.length() / 4);
            }
        }
    }

    @Test
    void mainRunsAgainstAFile() throws Exception {
        Main.main(new String[] {dir.resolve("main").toString()});
        try (EnhancedSqliteDataSource again = new EnhancedSqliteDataSource(
                     "jdbc:enhanced-sqlite:" + dir.resolve("main/articles.db") + "?compress=auto");
             EntityManagerFactory reopened = Jpa.open(again);
             EntityManager em = reopened.createEntityManager()) {
            assertThat(em.createQuery("select a from Article a order by a.id", Article.class).getResultList())
                    .extracting(Article::getTitle, Article::getVersion)
                    .containsExactly(tuple("Session log (reviewed)", 1L),
                            tuple("Short note", 0L));
        }
    }
}
