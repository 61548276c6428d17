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
 * <p>One first statement may open transactions of different kinds: BenchBase's Wikipedia opens its page views and its
 * page edits with the same read of the page, the views far more often. Learned by the statement alone, the views would
 * talk the edits back into beginning as readers within a few transactions of every conflict, and the edits beside
 * another writer would conflict again and again. So a statement whose transactions conflict often (a running share
 * of at least {@link #SPLIT_SHARE}) is learned from then on per path through the application: its key then names the
 * code that ran it too ({@link CallSite}, the innermost {@link #FIRST_PATH_FRAMES} frames of the stack), and each path
 * is a shape of its own, a new one beginning as a writer as a new statement does. A path that conflicts often in turn
 * began as a reader, learned from transactions that only read: the frames that tell the edits from the views lie
 * deeper (beneath a framework's layers), so the statement's paths are learned again from twice as many frames, up to
 * {@link #MAX_PATH_FRAMES}. Walking the stack costs microseconds (about 5 for 16 frames, 20 for 64) on every
 * transaction of such a statement; a rare conflict costs less (one transaction run again, and a few begun as
 * writers), so it splits nothing.
 *
 * <p>A shape whose transaction changed the schema begins as a writer for good: migration tools (Flyway, Liquibase)
 * open each migration's transaction with the same read of their history or of {@code sqlite_schema} that their
 * read-only checks begin with, and a DDL transaction that began as a reader would have to have its reads of the
 * schema confirmed, and fail, whenever anything else changed the schema in between. Migrations are rare; their
 * reads beside them are cheap as writers.
 */
public final class TransactionShapes {

    /**
     * Distinct first statements (and their paths) remembered; beyond it the memory starts over (SQL with literals in
     * it varies).
     */
    private static final int MAX_SHAPES = 4_096;
    /** Weight of the newest transaction in the running share of writers. */
    private static final float NEWEST_WEIGHT = 0.125f;
    /** At or above this share of writing transactions, the shape begins as a writer. */
    private static final float WRITER_SHARE = 0.5f;
    /** Between a statement's SQL and its code path in a key learned per path (SQLite's SQL ends at a NUL). */
    private static final char PATH = '\u0000';
    /** Weight of the newest transaction in the running share of conflicts. */
    private static final float CONFLICT_WEIGHT = 1f / 256;
    /**
     * At or above this share of conflicting transactions (one in 200), a statement is learned per path, or its paths
     * from more frames: two conflicts within about 300 of its transactions reach it, one alone never does.
     */
    static final float SPLIT_SHARE = 0.005f;
    /** Frames a statement's paths are first told apart by: the driver's own and a few of the application's. */
    static final int FIRST_PATH_FRAMES = 16;
    /** The most frames a statement's paths are told apart by. */
    static final int MAX_PATH_FRAMES = 64;

    private final ConcurrentHashMap<String, Shape> shapes = new ConcurrentHashMap<>();

    public TransactionShapes() {
    }

    /**
     * The key a transaction whose first statement is {@code firstSql} (and only reads) is learned under: the SQL
     * itself, or, once transactions beginning with it conflict often, the SQL with the code running it now. Null for
     * null.
     */
    String keyOf(String firstSql) {
        if (firstSql == null) {
            return null;
        }
        Shape shape = shapes.get(firstSql);
        int frames = shape == null ? 0 : shape.pathFrames;
        if (frames == 0) {
            return firstSql;
        }
        return firstSql + PATH + frames + ':' + Long.toHexString(CallSite.ofThisThread(frames));
    }

    /** Whether a transaction learned under {@code key} ({@link #keyOf}) should begin as a writer. */
    boolean beginsAsWriter(String key) {
        if (key == null) {
            return true; // nothing to learn it under (a savepoint set through JDBC): as before readers came first
        }
        Shape shape = shapes.get(key);
        return shape == null || shape.changesSchema || shape.writerShare >= WRITER_SHARE;
    }

    /** A transaction learned under {@code key} ended; it ran a writing statement or not. */
    void ended(String key, boolean wrote) {
        float observed = wrote ? 1f : 0f;
        Shape shape = shapes.get(key);
        if (shape == null) {
            remember(key, observed);
        } else {
            shape.writerShare += (observed - shape.writerShare) * NEWEST_WEIGHT;
            shape.conflictShare -= shape.conflictShare * CONFLICT_WEIGHT;
        }
    }

    /**
     * A reader learned under {@code key} found, when it came to write, that what it read had changed: its shape begins
     * writers from now on, and when such conflicts come often its statement is learned per path from now on, from more
     * frames if it already was.
     */
    void conflicted(String key) {
        Shape shape = shapes.get(key);
        if (shape == null) {
            shape = remember(key, 1f);
        } else {
            shape.writerShare = 1f;
        }
        shape.conflictShare += (1f - shape.conflictShare) * CONFLICT_WEIGHT;
        if (shape.conflictShare < SPLIT_SHARE) {
            return;
        }
        int path = key.indexOf(PATH);
        if (path < 0) {
            if (shape.pathFrames == 0) {
                shape.pathFrames = FIRST_PATH_FRAMES;
            }
            return;
        }
        // deeper only from the depth this key was taken at: transactions in flight under it conflict alike
        Shape statement = shapes.get(key.substring(0, path));
        int frames = Integer.parseInt(key, path + 1, key.indexOf(':', path), 10);
        if (statement != null && statement.pathFrames == frames && frames < MAX_PATH_FRAMES) {
            statement.pathFrames = 2 * frames;
        }
    }

    /** A transaction learned under {@code key} changed the schema: such transactions begin as writers from now on. */
    void changedSchema(String key) {
        Shape shape = shapes.get(key);
        if (shape == null) {
            shape = remember(key, 1f);
        }
        shape.changesSchema = true;
    }

    private Shape remember(String key, float writerShare) {
        if (shapes.size() >= MAX_SHAPES) {
            shapes.clear();
        }
        Shape fresh = new Shape(writerShare);
        Shape existing = shapes.putIfAbsent(key, fresh);
        return existing != null ? existing : fresh;
    }

    /** One first statement's (or one path's) running share of transactions that went on to write. */
    private static final class Shape {
        volatile float writerShare;
        /** A transaction of this shape changed the schema: it begins as a writer whatever the share. */
        volatile boolean changesSchema;
        /** The running share of transactions learned under this key that conflicted at their first write. */
        volatile float conflictShare;
        /** How many frames of the code path this statement's transactions are learned by; 0: by the SQL alone. */
        volatile int pathFrames;

        Shape(float writerShare) {
            this.writerShare = writerShare;
        }
    }
}
