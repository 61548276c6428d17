package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.metrics.SlowStatementLog;
import io.github.enhancedsqlite.tx.TransactionControl;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Which steps the statements of one database pass, decided once when its pool opens: compression off leaves the
 * compression step out, a zero slowStatementThreshold the slow-statement step. Each physical connection then gets
 * its own {@link StatementPipeline} from this plan, because the steps keep that connection's state (the columns its
 * open transaction recorded, the transaction it runs).
 */
public final class PipelinePlan {

    /** Null when compression is off. */
    private final Compression compression;
    /** Null when slowStatementThreshold is 0. */
    private final SlowStatementLog slowStatementLog;
    /** Kept for the schema-change step, which exists even with compression off (the statement caches follow DDL). */
    private final Compression schema;

    private PipelinePlan(Compression compression, SlowStatementLog slowStatementLog) {
        this.schema = compression;
        this.compression = compression.mode() == Compression.Mode.OFF ? null : compression;
        this.slowStatementLog = slowStatementLog.enabled() ? slowStatementLog : null;
    }

    /** The plan for a database whose connections share {@code compression} and {@code slowStatementLog}. */
    public static PipelinePlan of(Compression compression, SlowStatementLog slowStatementLog) {
        return new PipelinePlan(compression, slowStatementLog);
    }

    /** The pipeline of one physical connection, with the steps this plan chose. */
    public StatementPipeline forConnection(Connection sqlite, TransactionControl transactions, Codec codec)
            throws SQLException {
        return forConnection(sqlite, transactions, codec, false);
    }

    /**
     * As {@link #forConnection(Connection, TransactionControl, Codec)}.
     *
     * @param readOnlyDatabase the database opens read-only (a URL that asks so, a file this process may not write)
     */
    public StatementPipeline forConnection(Connection sqlite, TransactionControl transactions, Codec codec,
                                           boolean readOnlyDatabase) throws SQLException {
        OwnWrites ownWrites = OwnWrites.register(sqlite);
        return new StatementPipeline(sqlite, transactions, readOnlyDatabase, schema, new StoredValues(codec), ownWrites,
                compression == null ? null : new CompressionStep(compression, codec, sqlite, ownWrites),
                slowStatementLog == null ? null : new SlowStatementStep(slowStatementLog));
    }
}
