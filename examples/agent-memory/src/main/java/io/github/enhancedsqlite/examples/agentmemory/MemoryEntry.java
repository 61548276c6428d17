package io.github.enhancedsqlite.examples.agentmemory;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code memory_entries} as the store returns it; its value has passed its checksum.
 *
 * @param lastAccessedAt when it was last retrieved by key; {@code null}: never
 * @param expiresAt      {@code null}: never
 * @param version        1 when created, one more on every update
 * @param size           bytes of the value in UTF-8
 * @param compressed     always false: the store never compresses a value itself (the driver does, below SQL)
 * @param checksum       SHA-256 of the value's UTF-8 bytes, lower-case hex
 */
public record MemoryEntry(long id, String key, String value, String type, String namespace, List<String> tags,
                          String metadata, String owner, AccessLevel accessLevel, Instant createdAt,
                          Instant updatedAt, Instant lastAccessedAt, Instant expiresAt, long version, long size,
                          boolean compressed, String checksum) {
}
