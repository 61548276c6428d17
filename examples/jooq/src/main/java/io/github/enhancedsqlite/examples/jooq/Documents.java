package io.github.enhancedsqlite.examples.jooq;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TransactionalCallable;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** A document store written with jOOQ's DSL over the driver's DataSource: names only, no generated classes. */
public final class Documents {

    /** A stored document. */
    public record Document(long id, String name, String content, int revision) {
    }

    static final Table<Record> DOCUMENTS = table(name("documents"));
    static final Field<Long> ID = field(name("documents", "id"), SQLDataType.BIGINT);
    static final Field<String> NAME = field(name("documents", "name"), SQLDataType.VARCHAR);
    /** A plain TEXT column, neither key nor indexed: long values are stored compressed with compress=auto. */
    static final Field<String> CONTENT = field(name("documents", "content"), SQLDataType.CLOB);
    static final Field<Integer> REVISION = field(name("documents", "revision"), SQLDataType.INTEGER);

    private final DataSource dataSource;
    private final DSLContext db;

    /** jOOQ borrows a connection from the DataSource per statement or transaction and closes it after. */
    public Documents(DataSource dataSource) {
        this.dataSource = dataSource;
        this.db = DSL.using(dataSource, SQLDialect.SQLITE);
    }

    public void createSchema() {
        db.execute("CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                + "name TEXT NOT NULL, content TEXT, revision INTEGER NOT NULL DEFAULT 0)");
    }

    /** Inserts one document and returns the id SQLite generated. */
    public long add(String name, String content) {
        return add(db, name, content);
    }

    /** Inserts all documents in one transaction: all stored, or none if any insert fails. */
    public List<Long> addAll(List<String[]> nameAndContent) {
        return db.transactionResult(tx -> nameAndContent.stream()
                .map(pair -> add(tx.dsl(), pair[0], pair[1]))
                .toList());
    }

    /** Replaces the content and counts the revision up. */
    public boolean revise(long id, String content) {
        return db.update(DOCUMENTS)
                .set(CONTENT, content)
                .set(REVISION, REVISION.plus(1))
                .where(ID.eq(id))
                .execute() == 1;
    }

    public boolean delete(long id) {
        return db.deleteFrom(DOCUMENTS).where(ID.eq(id)).execute() == 1;
    }

    public Optional<Document> find(long id) {
        return db.select(ID, NAME, CONTENT, REVISION).from(DOCUMENTS).where(ID.eq(id))
                .fetchOptional(Documents::document);
    }

    /** Documents whose content contains {@code word}, in id order. */
    public List<Document> search(String word) {
        return db.select(ID, NAME, CONTENT, REVISION).from(DOCUMENTS)
                .where(CONTENT.contains(word))
                .orderBy(ID)
                .fetch(Documents::document);
    }

    /**
     * Runs {@code work} in a transaction on a read-only connection: jOOQ has no read-only flag of its own, so the
     * example sets it on the JDBC connection it hands to jOOQ, as Spring's {@code readOnly = true} does. A write
     * in {@code work} fails in SQLite; the driver resets the flag when the connection goes back to its pool.
     */
    public <T> T readOnly(TransactionalCallable<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            return DSL.using(connection, SQLDialect.SQLITE).transactionResult(work);
        }
    }

    /** Number of documents and total characters of their content, read in one read-only transaction. */
    public long[] summary() throws SQLException {
        return readOnly(tx -> {
            Record summary = tx.dsl().select(DSL.count(), DSL.coalesce(DSL.sum(DSL.length(CONTENT)), DSL.inline(0)))
                    .from(DOCUMENTS).fetchSingle();
            return new long[] {summary.get(0, Long.class), summary.get(1, Long.class)};
        });
    }

    private static long add(DSLContext db, String name, String content) {
        return db.insertInto(DOCUMENTS, NAME, CONTENT)
                .values(name, content)
                .returningResult(ID)
                .fetchSingle()
                .value1();
    }

    private static Document document(Record r) {
        return new Document(r.get(ID), r.get(NAME), r.get(CONTENT), r.get(REVISION));
    }
}
