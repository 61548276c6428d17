package io.github.enhancedsqlite.tx;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the transactions of one database that begin with a given statement go on to do, learned as they end: a
 * transaction whose first statement only reads begins as a reader unless transactions beginning with that statement
 * have mostly gone on to write, or one of them lost its reads to another writer (the check at its first write failed).
 * Those begin as writers from the start, so a read-then-increment of a hot row never meets a conflict it cannot absorb.
 *
 * <p>A first statement never seen begins as a writer, as every transaction did before readers came first, until the
 * first transaction that began with it ends: that one tells at once whether the shape writes. So the first
 * transactions of a read-then-write loop, started together, never fail, and a shape that only reads begins as a
 * reader from its second transaction on. Later transactions move the share of writers by an eighth each. Updates race
 * without a lock: a lost sample only delays the learning by a transaction.
 *
 * <p>A shape whose transaction changed the schema begins as a writer for good: migration tools (Flyway, Liquibase)
 * open each migration's transaction with the same read of their history or of {@code sqlite_schema} that their
 * read-only checks begin with, and a DDL transaction that began as a reader would have to have its reads of the
 * schema confirmed, and fail, whenever anything else changed the schema in between. Migrations are rare; their
 * reads beside them are cheap as writers.
 */
public final class TransactionShapes {

    /** Distinct first statements remembered; beyond it the memory starts over (SQL with literals in it varies). */
    private static final int MAX_SHAPES = 4_096;
    /** Weight of the newest transaction in the running share of writers. */
    private static final float NEWEST_WEIGHT = 0.125f;
    /** At or above this share of writing transactions, the shape begins as a writer. */
    private static final float WRITER_SHARE = 0.5f;

    private final ConcurrentHashMap<String, Shape> shapes = new ConcurrentHashMap<>();

    public TransactionShapes() {
    }

    /** Whether a transaction whose first statement is {@code firstSql} (and only reads) should begin as a writer. */
    boolean beginsAsWriter(String firstSql) {
        if (firstSql == null) {
            return true; // nothing to learn it under (a savepoint set through JDBC): as before readers came first
        }
        Shape shape = shapes.get(firstSql);
        return shape == null || shape.changesSchema || shape.writerShare >= WRITER_SHARE;
    }

    /** A transaction that began with {@code firstSql} ended; it ran a writing statement or not. */
    void ended(String firstSql, boolean wrote) {
        float observed = wrote ? 1f : 0f;
        Shape shape = shapes.get(firstSql);
        if (shape == null) {
            remember(firstSql, observed);
        } else {
            shape.writerShare += (observed - shape.writerShare) * NEWEST_WEIGHT;
        }
    }

    /** A reader that began with {@code firstSql} found, when it came to write, that what it read had changed. */
    void conflicted(String firstSql) {
        Shape shape = shapes.get(firstSql);
        if (shape == null) {
            remember(firstSql, 1f);
        } else {
            shape.writerShare = 1f;
        }
    }

    /** A transaction that began with {@code firstSql} changed the schema: such transactions begin as writers from now on. */
    void changedSchema(String firstSql) {
        Shape shape = shapes.get(firstSql);
        if (shape == null) {
            shape = remember(firstSql, 1f);
        }
        shape.changesSchema = true;
    }

    private Shape remember(String firstSql, float writerShare) {
        if (shapes.size() >= MAX_SHAPES) {
            shapes.clear();
        }
        Shape fresh = new Shape(writerShare);
        Shape existing = shapes.putIfAbsent(firstSql, fresh);
        return existing != null ? existing : fresh;
    }

    /** One first statement's running share of transactions that went on to write. */
    private static final class Shape {
        volatile float writerShare;
        /** A transaction of this shape changed the schema: it begins as a writer whatever the share. */
        volatile boolean changesSchema;

        Shape(float writerShare) {
            this.writerShare = writerShare;
        }
    }
}
