package io.github.enhancedsqlite.config;

/** One parsed {@code jdbc:enhanced-sqlite:} URL with its properties: where the database is and how to run it. */
public record DatabaseConfig(DatabaseLocation location, Settings settings) {
}
