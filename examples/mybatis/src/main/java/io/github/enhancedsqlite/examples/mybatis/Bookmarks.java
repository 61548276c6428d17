package io.github.enhancedsqlite.examples.mybatis;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/** MyBatis over the driver's DataSource, and the application's operations on bookmarks. */
public final class Bookmarks {

    private final SqlSessionFactory sessions;

    /**
     * MyBatis gets the driver's DataSource as it is (not its own PooledDataSource: the driver already pools) and
     * manages transactions with plain JDBC commit and rollback.
     */
    public Bookmarks(DataSource dataSource) {
        Configuration configuration = new Configuration(
                new Environment("enhanced-sqlite", new JdbcTransactionFactory(), dataSource));
        configuration.addMapper(BookmarkMapper.class);
        this.sessions = new SqlSessionFactoryBuilder().build(configuration);
    }

    public void createSchema() {
        inTransaction(mapper -> {
            mapper.createTable();
            return null;
        });
    }

    /** Stores the bookmark and returns the id SQLite generated (also set on the bookmark). */
    public long add(Bookmark bookmark) {
        return inTransaction(mapper -> {
            mapper.insert(bookmark);
            return bookmark.getId();
        });
    }

    /** Stores all bookmarks in one transaction: all of them, or none if any insert fails. */
    public List<Long> addAll(List<Bookmark> bookmarks) {
        return inTransaction(mapper -> bookmarks.stream().map(b -> {
            mapper.insert(b);
            return b.getId();
        }).toList());
    }

    public boolean visit(long id) {
        return inTransaction(mapper -> mapper.recordVisit(id)) == 1;
    }

    public boolean resave(long id, String snapshot) {
        Bookmark changed = new Bookmark();
        changed.setId(id);
        changed.setSnapshot(snapshot);
        return inTransaction(mapper -> mapper.updateSnapshot(changed)) == 1;
    }

    public boolean delete(long id) {
        return inTransaction(mapper -> mapper.delete(id)) == 1;
    }

    public Bookmark find(long id) {
        try (SqlSession session = sessions.openSession()) {
            return session.getMapper(BookmarkMapper.class).findById(id);
        }
    }

    public List<Bookmark> search(String word) {
        try (SqlSession session = sessions.openSession()) {
            return session.getMapper(BookmarkMapper.class).search(word);
        }
    }

    /**
     * Runs {@code work} in a read-only transaction. MyBatis has no read-only flag; the example sets it on the
     * session's JDBC connection before the first statement, as Spring's {@code readOnly = true} does. A write in
     * {@code work} then fails in SQLite, and the driver resets the flag when MyBatis closes the connection.
     */
    public <T> T readOnly(Function<BookmarkMapper, T> work) throws SQLException {
        try (SqlSession session = sessions.openSession()) {
            session.getConnection().setReadOnly(true);
            T result = work.apply(session.getMapper(BookmarkMapper.class));
            session.commit(true);
            return result;
        }
    }

    /** Commits when {@code work} returns; closing the session without commit rolls back when it throws. */
    private <T> T inTransaction(Function<BookmarkMapper, T> work) {
        try (SqlSession session = sessions.openSession()) {
            T result = work.apply(session.getMapper(BookmarkMapper.class));
            session.commit();
            return result;
        }
    }
}
