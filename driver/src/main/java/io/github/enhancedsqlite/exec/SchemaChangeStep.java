package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.Compression;

/**
 * DDL run through the driver makes the schema knowledge, the rewrites built on it and the statement caches stale;
 * with compression off too, since the record of compressed columns still decides what is rewritten.
 */
final class SchemaChangeStep {

    private final Compression compression;

    SchemaChangeStep(Compression compression) {
        this.compression = compression;
    }

    void after(int effects) {
        if (StatementEffects.has(effects, StatementEffects.CHANGES_SCHEMA)) {
            compression.schemaChanged();
        }
    }
}
