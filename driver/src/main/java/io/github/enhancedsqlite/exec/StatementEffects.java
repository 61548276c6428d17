package io.github.enhancedsqlite.exec;

/**
 * What running a statement does, as bits read from its leading keywords (by the JDBC layer's statement inspector);
 * the steps of a {@link StatementPipeline} decide by them.
 */
public final class StatementEffects {

    /** Changes session state a pool cannot reset (pragmas, attachments, temp objects). */
    public static final int ALTERS_SESSION = 1;
    /** The application's own BEGIN or SAVEPOINT. */
    public static final int OPENS_TRANSACTION = 2;
    /** The application's own COMMIT, END or ROLLBACK. */
    public static final int ENDS_TRANSACTION = 4;
    /** May write. */
    public static final int WRITES = 8;
    /** DDL: schema knowledge, rewrites and statement caches must be renewed. */
    public static final int CHANGES_SCHEMA = 16;
    /** The application's own RELEASE. */
    public static final int RELEASES_SAVEPOINT = 32;
    /**
     * sqlite-jdbc's {@code restore} command: a backup copied in over the database's content, its schema and the
     * driver's own tables included.
     */
    public static final int REPLACES_CONTENT = 64;

    private StatementEffects() {
    }

    static boolean has(int effects, int effect) {
        return (effects & effect) != 0;
    }
}
