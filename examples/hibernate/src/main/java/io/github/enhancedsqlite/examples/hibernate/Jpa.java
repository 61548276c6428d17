package io.github.enhancedsqlite.examples.hibernate;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.community.dialect.SQLiteDialect;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;

/** The whole JPA setup: Hibernate over the driver's DataSource, and a read-only transaction helper. */
public final class Jpa {

    private Jpa() {
    }

    /**
     * Hibernate takes the DataSource as it is: the driver pools, so Hibernate must not add a pool of its own
     * (given a DataSource, it does not). The tables are created from the entities when missing.
     */
    public static EntityManagerFactory open(DataSource dataSource) {
        return new HibernatePersistenceConfiguration("articles")
                .managedClass(Author.class)
                .managedClass(Article.class)
                .property(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                // Hibernate would also find it from the product name "SQLite"; naming it documents the choice.
                .property(AvailableSettings.DIALECT, SQLiteDialect.class.getName())
                .property(AvailableSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, Action.UPDATE)
                .createEntityManagerFactory();
    }

    /**
     * Runs {@code work} in a transaction whose JDBC connection is read-only, as Spring's
     * {@code @Transactional(readOnly = true)} does: a write fails in the database, not just in Hibernate's session.
     * The driver applies {@code setReadOnly} to the live connection and resets it when Hibernate releases the
     * connection at the end of the transaction.
     */
    public static <T> T inReadOnlyTransaction(EntityManagerFactory factory, Function<EntityManager, T> work) {
        try (EntityManager em = factory.createEntityManager()) {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            try {
                Session session = em.unwrap(Session.class);
                session.doWork(connection -> connection.setReadOnly(true));
                session.setDefaultReadOnly(true);
                T result = work.apply(em);
                tx.commit();
                return result;
            } finally {
                if (tx.isActive()) {
                    tx.rollback();
                }
            }
        }
    }
}
