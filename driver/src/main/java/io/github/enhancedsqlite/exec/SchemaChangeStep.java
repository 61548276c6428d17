package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.Compression;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * DDL run through the driver makes the schema knowledge, the rewrites built on it and the statement caches stale;
 * with compression off too, since the record of compressed columns still decides what is rewritten. A backup restored
 * over the database (sqlite-jdbc's {@code restore} command) makes stale all the pool knew of its content.
 */
final class SchemaChangeStep {

    private final Compression compression;
    /** The connection the statements run on, which reads the content anew after a restore. */
    private final Connection sqlite;

    SchemaChangeStep(Compression compression, Connection sqlite) {
        this.compression = compression;
        this.sqlite = sqlite;
    }

    void after(int effects) throws SQLException {
        if (StatementEffects.has(effects, StatementEffects.REPLACES_CONTENT)) {
            compression.contentReplaced(sqlite);
        } else if (StatementEffects.has(effects, StatementEffects.CHANGES_SCHEMA)) {
            compression.schemaChanged();
        }
    }
}
