package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.metrics.DatabaseMetrics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.ProgressHandler;

/**
 * A new physical connection whose page cache the profile set (and its read-back proved) is not asked for it again:
 * the size of its decoded-value cache comes from what is known, and attaching runs no statement.
 */
class CompressionAttachTest {

    @TempDir
    Path directory;

    @Test
    void aConnectionWhosePageCacheIsKnownRunsNoStatementToAttach() throws Exception {
        Compression compression = new Compression(Compression.Mode.AUTO, Set.of(), 256, 64, Levels.uniform(3), 128,
                new DatabaseMetrics("attach-test"));
        String url = "jdbc:sqlite:" + directory.resolve("attach.db");
        try (Connection first = DriverManager.getConnection(url);
             Connection next = DriverManager.getConnection(url)) {
            compression.attach(first); // the database's first connection loads the record and the dictionaries
            AtomicInteger steps = new AtomicInteger();
            ProgressHandler.setHandler(next, 1, new ProgressHandler() {
                @Override
                protected int progress() {
                    steps.incrementAndGet();
                    return 0;
                }
            });

            compression.attach(next, Compression.pageCacheBytes(-1_048_576, 4096));
            assertThat(steps).as("SQLite steps run by attaching with a known page cache").hasValue(0);

            compression.attach(next); // unknown: the connection is asked, which the handler sees
            assertThat(steps.get()).as("SQLite steps run by attaching with an unknown page cache").isPositive();
        }
    }

    @Test
    void cacheSizeIsKibibytesWhenNegativeAndPagesWhenPositive() {
        assertThat(Compression.pageCacheBytes(-1_048_576, 4096)).isEqualTo(1024L * 1024 * 1024);
        assertThat(Compression.pageCacheBytes(2000, 4096)).isEqualTo(2000L * 4096);
    }
}
