package io.github.enhancedsqlite.examples.agentmemory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an agent stores: {@code MemoryWrite.of("notes", "plan", json).withTtl(Duration.ofHours(1))}. Defaults:
 * type {@code text}, no tags, metadata {@code {}}, {@link AccessLevel#PRIVATE}, no expiry.
 *
 * @param metadata JSON text, stored and returned as given
 * @param ttl      how long the entry lives from this write on; {@code null}: until deleted
 */
public record MemoryWrite(String namespace, String key, String value, String type, List<String> tags,
                          String metadata, AccessLevel accessLevel, Duration ttl) {

    /** Tags are stored as a JSON array; these characters need no escaping in it. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:/-]+");

    public MemoryWrite {
        requireText(namespace, "namespace");
        requireText(key, "key");
        Objects.requireNonNull(value, "value must not be null (store \"\" for an empty value)");
        requireText(type, "type");
        tags = List.copyOf(Objects.requireNonNull(tags, "tags must not be null (use List.of())"));
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("tag '" + tag + "' has characters a tag cannot hold; "
                        + "accepted: letters, digits and . _ : / -");
            }
        }
        Objects.requireNonNull(metadata, "metadata must not be null (use \"{}\")");
        Objects.requireNonNull(accessLevel, "accessLevel must not be null");
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("ttl must be positive, or null for no expiry; got " + ttl);
        }
    }

    public static MemoryWrite of(String namespace, String key, String value) {
        return new MemoryWrite(namespace, key, value, "text", List.of(), "{}", AccessLevel.PRIVATE, null);
    }

    public MemoryWrite withValue(String newValue) {
        return new MemoryWrite(namespace, key, newValue, type, tags, metadata, accessLevel, ttl);
    }

    public MemoryWrite withType(String newType) {
        return new MemoryWrite(namespace, key, value, newType, tags, metadata, accessLevel, ttl);
    }

    public MemoryWrite withTags(String... newTags) {
        return new MemoryWrite(namespace, key, value, type, List.of(newTags), metadata, accessLevel, ttl);
    }

    public MemoryWrite withMetadata(String newMetadata) {
        return new MemoryWrite(namespace, key, value, type, tags, newMetadata, accessLevel, ttl);
    }

    public MemoryWrite withAccessLevel(AccessLevel newAccessLevel) {
        return new MemoryWrite(namespace, key, value, type, tags, metadata, newAccessLevel, ttl);
    }

    public MemoryWrite withTtl(Duration newTtl) {
        return new MemoryWrite(namespace, key, value, type, tags, metadata, accessLevel, newTtl);
    }

    static void requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-blank string; got "
                    + (text == null ? "null" : "'" + text + "'"));
        }
    }
}
