package io.github.enhancedsqlite.it.tx;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** One database file per test in a fresh directory; every pool is closed after each test. */
abstract class TxDatabaseTest {

    @TempDir
    Path dir;

    /** The test's database file, set by {@link #database}. */
    Path file;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    /** The URL of {@code name} in the test directory with the query, its schema created. */
    String database(String name, String query, String... schema) throws SQLException {
        file = dir.resolve(name);
        return TxDb.prepared(file, query, schema);
    }
}
