package io.github.enhancedsqlite.examples.agentmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each operation of the store on a real file through the driver, with compression on. */
class MemoryStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    Path file;
    EnhancedSqliteDataSource dataSource;
    MemoryStore store;

    @BeforeEach
    void open() throws SQLException {
        file = dir.resolve("memory.db");
        dataSource = new EnhancedSqliteDataSource("jdbc:enhanced-sqlite:" + file + "?compress=auto");
        MemoryStore.createSchema(dataSource);
        store = at(T0);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    /** The store as it runs at another moment (same file): how TTL and timestamps are tested without waiting. */
    private MemoryStore at(Instant now) {
        return new MemoryStore(dataSource, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void storeCreatesVersionOneAndRetrieveReturnsEveryField() throws SQLException {
        String value = "{\"plan\":\"héllo ✓\"}";
        MemoryEntry stored = store.store("alice", MemoryWrite.of("work", "plan", value).withType("json")
                .withTags("step:1", "draft").withMetadata("{\"source\":\"test\"}").withAccessLevel(AccessLevel.SHARED));

        MemoryEntry read = at(T0.plusSeconds(5)).retrieve("alice", "work", "plan").orElseThrow();

        assertThat(read.id()).isEqualTo(stored.id()).isPositive();
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.value()).isEqualTo(value);
        assertThat(read.type()).isEqualTo("json");
        assertThat(read.tags()).containsExactly("step:1", "draft");
        assertThat(read.metadata()).isEqualTo("{\"source\":\"test\"}");
        assertThat(read.owner()).isEqualTo("alice");
        assertThat(read.accessLevel()).isEqualTo(AccessLevel.SHARED);
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.updatedAt()).isEqualTo(T0);
        assertThat(read.lastAccessedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(read.expiresAt()).isNull();
        assertThat(read.size()).isEqualTo(value.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(value.length());
        assertThat(read.checksum()).isEqualTo(sha256(value));
        assertThat(read.compressed()).isFalse();
        assertThat(stored).isEqualTo(new MemoryEntry(read.id(), read.key(), read.value(), read.type(),
                read.namespace(), read.tags(), read.metadata(), read.owner(), read.accessLevel(), read.createdAt(),
                read.updatedAt(), null, null, 1, read.size(), false, read.checksum()));
        // the access time is in the file, not only in the returned entry
        assertThat(store.list("alice", "work")).singleElement()
                .extracting(MemoryEntry::lastAccessedAt).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void everyUpdateIncrementsTheVersionAndKeepsOwnerAndCreationTime() throws SQLException {
        for (int i = 1; i <= 3; i++) {
            MemoryEntry entry = at(T0.plusSeconds(i)).store("alice", MemoryWrite.of("work", "plan", "v" + i));
            assertThat(entry.version()).isEqualTo(i);
        }
        MemoryEntry read = store.retrieve("alice", "work", "plan").orElseThrow();
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.value()).isEqualTo("v3");
        assertThat(read.createdAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(read.updatedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(read.checksum()).isEqualTo(sha256("v3"));
    }

    @Test
    void anUpdateWithAStaleExpectedVersionFailsAndChangesNothing() throws SQLException {
        MemoryWrite write = MemoryWrite.of("work", "plan", "first");
        assertThat(store.store("alice", write, MemoryStore.ABSENT).version()).isEqualTo(1);
        assertThat(store.store("alice", write.withValue("second"), 1).version()).isEqualTo(2);

        assertThatThrownBy(() -> store.store("alice", write.withValue("stale"), 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                })
                .hasMessage("entry work/plan is at version 2, not at version 1 as the update expected; "
                        + "read it again and retry the change");
        assertThatThrownBy(() -> store.store("alice", write.withValue("again"), MemoryStore.ABSENT))
                .isInstanceOf(VersionConflictException.class).hasMessageContaining("not at version 0 (absent)");
        assertThatThrownBy(() -> store.store("alice", MemoryWrite.of("work", "new", "x"), 3))
                .isInstanceOf(VersionConflictException.class).hasMessageContaining("is at version 0 (absent)");
        assertThatThrownBy(() -> store.store("alice", write, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -2");

        MemoryEntry read = store.retrieve("alice", "work", "plan").orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.value()).isEqualTo("second");
        assertThat(store.retrieve("alice", "work", "new")).isEmpty();
    }

    @Test
    void aValueChangedBehindTheStoresBackFailsItsChecksumOnRead() throws SQLException {
        store.store("alice", MemoryWrite.of("work", "plan", "the real plan"));
        store.store("alice", MemoryWrite.of("work", "other", "untouched"));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement tamper = connection.prepareStatement(
                     "UPDATE memory_entries SET value = 'a forged plan' WHERE key = 'plan'")) {
            assertThat(tamper.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> store.retrieve("alice", "work", "plan"))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("entry work/plan (id ")
                .hasMessageContaining("stored SHA-256 " + sha256("the real plan"))
                .hasMessageContaining("value hashes to " + sha256("a forged plan"));
        assertThatThrownBy(() -> store.list("alice", "work")).isInstanceOf(ChecksumMismatchException.class);
        assertThat(store.retrieve("alice", "work", "other")).get().extracting(MemoryEntry::value).isEqualTo("untouched");
    }

    @Test
    void listReturnsTheNamespacesEntriesByKey() throws SQLException {
        store.store("alice", MemoryWrite.of("work", "b", "2"));
        store.store("alice", MemoryWrite.of("work", "a", "1"));
        store.store("alice", MemoryWrite.of("home", "a", "other namespace"));

        assertThat(store.list("alice", "work")).extracting(MemoryEntry::key, MemoryEntry::value)
                .containsExactly(tuple("a", "1"), tuple("b", "2"));
        assertThat(store.list("alice", "home")).extracting(MemoryEntry::value).containsExactly("other namespace");
        assertThat(store.list("alice", "empty")).isEmpty();
    }

    @Test
    void searchMatchesKeyOrValueInTheNamespaceWithWildcardsTakenLiterally() throws SQLException {
        String large = bigJson("deploy-report", 30);
        store.store("alice", MemoryWrite.of("work", "deploy-plan", "{\"steps\":3}"));
        store.store("alice", MemoryWrite.of("work", "notes", large));
        store.store("alice", MemoryWrite.of("work", "percent", "100% done_now"));
        store.store("alice", MemoryWrite.of("home", "deploy-elsewhere", "not in work"));

        assertThat(store.search("alice", "work", "DEPLOY")).extracting(MemoryEntry::key)
                .containsExactly("deploy-plan", "notes");
        assertThat(store.search("alice", "work", "field29")).singleElement()
                .extracting(MemoryEntry::value).isEqualTo(large);
        assertThat(store.search("alice", "work", "0% done_")).extracting(MemoryEntry::key).containsExactly("percent");
        assertThat(store.search("alice", "work", "0%_done")).isEmpty();
        assertThat(store.search("alice", "work", "_")).extracting(MemoryEntry::key).containsExactly("percent");
    }

    @Test
    void deleteRemovesOnlyWhatTheOwnerDeletes() throws SQLException {
        store.store("alice", MemoryWrite.of("work", "mine", "x"));
        store.store("alice", MemoryWrite.of("work", "secret", "x"));
        store.store("alice", MemoryWrite.of("work", "team", "x").withAccessLevel(AccessLevel.SHARED));

        assertThat(store.delete("alice", "work", "mine")).isTrue();
        assertThat(store.retrieve("alice", "work", "mine")).isEmpty();
        assertThat(store.delete("alice", "work", "mine")).isFalse();
        assertThat(store.delete("bob", "work", "secret")).isFalse();
        assertThatThrownBy(() -> store.delete("bob", "work", "team"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("agent 'bob' may not delete work/team: only its owner 'alice' may delete it");

        assertThat(store.list("alice", "work")).extracting(MemoryEntry::key).containsExactly("secret", "team");
    }

    @Test
    void expiredEntriesAreInvisibleAtOnceAndCleanupRemovesOnlyThem() throws SQLException {
        store.store("alice", MemoryWrite.of("work", "short", "lives an hour").withTtl(Duration.ofHours(1)));
        store.store("alice", MemoryWrite.of("work", "long", "lives a day").withTtl(Duration.ofDays(1)));
        store.store("alice", MemoryWrite.of("work", "forever", "no ttl"));
        MemoryStore later = at(T0.plus(Duration.ofHours(2)));

        assertThat(store.retrieve("alice", "work", "short")).get().extracting(MemoryEntry::expiresAt)
                .isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(later.retrieve("alice", "work", "short")).isEmpty();
        assertThat(later.list("alice", "work")).extracting(MemoryEntry::key).containsExactly("forever", "long");
        assertThat(later.search("alice", "work", "lives")).extracting(MemoryEntry::key).containsExactly("long");
        assertThat(later.delete("alice", "work", "short")).isFalse();
        assertThat(rows()).isEqualTo(3);

        assertThat(later.cleanupExpired()).isEqualTo(1);
        assertThat(rows()).isEqualTo(2);
        assertThat(later.cleanupExpired()).isZero();

        // an expired key is free again: a new entry, version 1, of whoever stores it
        store.store("alice", MemoryWrite.of("work", "gone", "x").withTtl(Duration.ofMinutes(1)));
        MemoryEntry reborn = later.store("bob", MemoryWrite.of("work", "gone", "y"), MemoryStore.ABSENT);
        assertThat(reborn.version()).isEqualTo(1);
        assertThat(reborn.owner()).isEqualTo("bob");
        assertThat(later.retrieve("bob", "work", "gone")).get().extracting(MemoryEntry::value).isEqualTo("y");
    }

    @Test
    void aPrivateEntryDoesNotExistForOtherAgents() throws SQLException {
        store.store("alice", MemoryWrite.of("work", "diary", "dear diary"));

        assertThat(store.retrieve("bob", "work", "diary")).isEmpty();
        assertThat(store.list("bob", "work")).isEmpty();
        assertThat(store.search("bob", "work", "diary")).isEmpty();
        assertThatThrownBy(() -> store.store("bob", MemoryWrite.of("work", "diary", "overwritten")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("agent 'bob' may not update work/diary: it is private to its owner 'alice'");
        assertThat(store.retrieve("alice", "work", "diary")).get().extracting(MemoryEntry::value, MemoryEntry::version)
                .containsExactly("dear diary", 1L);
    }

    @Test
    void aSharedEntryIsReadAndUpdatedByOtherAgentsButOnlyItsOwnerChangesItsLevelOrDeletesIt() throws SQLException {
        MemoryWrite shared = MemoryWrite.of("work", "board", "todo").withAccessLevel(AccessLevel.SHARED);
        store.store("alice", shared);

        assertThat(store.retrieve("bob", "work", "board")).get().extracting(MemoryEntry::value).isEqualTo("todo");
        MemoryEntry updated = store.store("bob", shared.withValue("doing"), 1);
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.owner()).isEqualTo("alice");
        assertThatThrownBy(() -> store.store("bob", shared.withAccessLevel(AccessLevel.PRIVATE)))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("may not change the access level of work/board from shared to private");
        assertThatThrownBy(() -> store.delete("bob", "work", "board")).isInstanceOf(AccessDeniedException.class);

        assertThat(store.store("alice", shared.withAccessLevel(AccessLevel.PUBLIC)).version()).isEqualTo(3);
        MemoryEntry read = store.retrieve("alice", "work", "board").orElseThrow();
        assertThat(read.value()).isEqualTo("todo");
        assertThat(read.accessLevel()).isEqualTo(AccessLevel.PUBLIC);
    }

    @Test
    void aPublicEntryIsReadByEveryAgentAndChangedOnlyByItsOwner() throws SQLException {
        MemoryWrite published = MemoryWrite.of("work", "result", "42").withAccessLevel(AccessLevel.PUBLIC);
        store.store("alice", published);

        assertThat(store.retrieve("bob", "work", "result")).get().extracting(MemoryEntry::value).isEqualTo("42");
        assertThat(store.list("bob", "work")).extracting(MemoryEntry::key).containsExactly("result");
        assertThatThrownBy(() -> store.store("bob", published.withValue("43")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("it is public to its owner 'alice' (other agents may update shared entries only)");
        assertThatThrownBy(() -> store.delete("bob", "work", "result")).isInstanceOf(AccessDeniedException.class);
        assertThat(store.store("alice", published.withValue("43")).version()).isEqualTo(2);
    }

    @Test
    void largeValuesAreStoredCompressedAndReadBackEqual() throws SQLException {
        String value = bigJson("observation", 25);
        store.store("alice", MemoryWrite.of("work", "big", value).withType("json"));

        assertThat(store.retrieve("alice", "work", "big")).get().extracting(MemoryEntry::value).isEqualTo(value);
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement read = plain.prepareStatement(
                     "SELECT typeof(value), value FROM memory_entries WHERE key = 'big'");
             ResultSet row = read.executeQuery()) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("blob");
            byte[] stored = row.getBytes(2);
            assertThat(Arrays.copyOf(stored, 4)).isEqualTo(new byte[] {(byte) 0xEC, 0x45, 0x53, 0x5A});
            assertThat(stored.length).isLessThan(value.length());
        }
    }

    @Test
    void badInputIsRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> MemoryWrite.of("work", "k", "v").withTags("has space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag 'has space' has characters a tag cannot hold; accepted: letters, digits and . _ : / -");
        assertThatThrownBy(() -> MemoryWrite.of(" ", "k", "v"))
                .hasMessage("namespace must be a non-blank string; got ' '");
        assertThatThrownBy(() -> MemoryWrite.of("work", "k", "v").withTtl(Duration.ZERO))
                .hasMessage("ttl must be positive, or null for no expiry; got PT0S");
        assertThatThrownBy(() -> store.store("", MemoryWrite.of("work", "k", "v")))
                .hasMessage("agent must be a non-blank string; got ''");
    }

    private long rows() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM memory_entries");
             ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String bigJson(String prefix, int fields) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < fields; i++) {
            json.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":\"").append(prefix).append('"');
        }
        return json.append('}').toString();
    }

    /** Computed here, not by the store, so a store that hashed something else would fail. */
    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
