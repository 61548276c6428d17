package io.github.enhancedsqlite.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.Levels;
import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import io.github.enhancedsqlite.metrics.SlowStatementLog;
import io.github.enhancedsqlite.tx.BusyRetry;
import io.github.enhancedsqlite.tx.TransactionControl;
import io.github.enhancedsqlite.tx.TransactionDeadlines;
import io.github.enhancedsqlite.tx.TransactionTimer;
import io.github.enhancedsqlite.tx.TransactionSettings;
import io.github.enhancedsqlite.tx.TransactionShapes;
import io.github.enhancedsqlite.tx.WriterGate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 point 1: the steps of disabled features are left out when a pipeline is built, so they cost nothing. The
 * plain-storage step is no feature: a compress=off pool may open a file whose columns hold compressed values.
 */
class StatementPipelineTest {

    private static final String NAME = "pipeline-test";

    @Test
    void compressionOffAndNoSlowStatementThresholdLeaveTheirStepsOut() throws SQLException {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            StatementPipeline pipeline = pipeline(sqlite, Compression.Mode.OFF, 0);
            assertThat(pipeline).hasToString(
                    "StatementPipeline[transaction, plain storage, query deadline, busy retry, schema change]");
        }
    }

    @Test
    void enabledFeaturesHaveTheirStepsInOrder() throws SQLException {
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            StatementPipeline pipeline = pipeline(sqlite, Compression.Mode.AUTO, 100);
            assertThat(pipeline).hasToString("StatementPipeline[transaction, slow statement log, compression,"
                    + " plain storage, query deadline, busy retry, schema change]");
        }
    }

    private static StatementPipeline pipeline(Connection sqlite, Compression.Mode mode, long slowMillis)
            throws SQLException {
        DatabaseMetrics metrics = new DatabaseMetrics(NAME);
        Compression compression = new Compression(mode, Set.of(), 256, 64, Levels.uniform(3), 128, metrics);
        Codec codec = compression.attach(sqlite);
        TransactionControl transactions = new TransactionControl(sqlite, new WriterGate(NAME, 0, metrics),
                new BusyRetry(NAME, 3, 10, 1000, metrics),
                new TransactionSettings(NAME, "BEGIN IMMEDIATE", 1000, 0), metrics,
                new TransactionDeadlines(new TransactionTimer(NAME)), new TransactionShapes(),
                codec::originalOrStored);
        return PipelinePlan.of(compression, new SlowStatementLog(NAME, slowMillis, false, metrics))
                .forConnection(sqlite, transactions, codec);
    }
}
