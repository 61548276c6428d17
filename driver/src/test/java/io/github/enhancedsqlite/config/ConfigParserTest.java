package io.github.enhancedsqlite.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.InvalidSettingException;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Compression;
import io.github.enhancedsqlite.compress.Levels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    @TempDir
    Path dir;

    private static DatabaseConfig parse(String url) throws InvalidSettingException {
        return ConfigParser.parse(url, new Properties());
    }

    @Test
    void plainPathDefaultsToThe96gbProfileAndStripsOnlyThePrefix() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db"));

        assertThat(config.location().kind()).isEqualTo(DatabaseLocation.Kind.FILE);
        assertThat(config.location().sqliteUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("app.db"));
        assertThat(config.settings().profile()).isEqualTo(Profile.NINETY_SIX_GB);
        assertThat(config.settings().pragmas()).containsExactly(
                entry(Pragma.BUSY_TIMEOUT, "5000"), entry(Pragma.AUTO_VACUUM, "INCREMENTAL"),
                entry(Pragma.JOURNAL_MODE, "wal"),
                entry(Pragma.SYNCHRONOUS, "NORMAL"), entry(Pragma.CACHE_SIZE, "-1048576"),
                entry(Pragma.MMAP_SIZE, "8589934592"), entry(Pragma.TEMP_STORE, "MEMORY"),
                entry(Pragma.WAL_AUTOCHECKPOINT, "1000"), entry(Pragma.JOURNAL_SIZE_LIMIT, "67108864"));
        assertThat(config.settings().pool().maximumPoolSize()).isEqualTo(10);
    }

    @Test
    void eachFeatureGetsItsSettingsTypedOnce() throws Exception {
        Settings settings = parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db")
                + "?maximumPoolSize=4&connectionTimeout=1000&statementCacheSize=0&transaction_mode=DEFERRED"
                + "&writerTimeout=7&writerFairnessWindow=0&busyRetryAttempts=3&busyRetryBackoff=2"
                + "&busyRetryMaxWait=9&compress=Notes.Body,memory_entries.value&compressThreshold=64"
                + "&compressDictionaryThreshold=48&compressLevel=5&compressDictionarySamples=0&slowStatementThreshold=0"
                + "&compressLargeThreshold=4096&compressLargeLevel=-3"
                + "&logParameters=true"
                + "&maintenanceInterval=250&wal_autocheckpoint=100&poolIdleTimeout=1500&maxIdlePools=3").settings();

        assertThat(settings.pool()).isEqualTo(new PoolSettings(4, 1, 1000, 0, 1500, 3));
        assertThat(settings.transactions()).isEqualTo(
                new TransactionSettings("BEGIN DEFERRED", 30_000, 7, 0, 3, 2, 9, true));
        assertThat(settings.compression()).isEqualTo(new CompressionSettings(Compression.Mode.LISTED,
                Set.of(new ColumnRef("notes", "body"), new ColumnRef("memory_entries", "value")), 64, 48,
                new Levels(5, 4096, -3), 0));
        assertThat(settings.observability()).isEqualTo(new ObservabilitySettings(0, true));
        assertThat(settings.maintenance()).isEqualTo(new MaintenanceSettings(250, 12, 100));
    }

    @Test
    void defaultsAreTypedToo() throws Exception {
        Settings settings = parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db")).settings();

        assertThat(settings.compression().mode()).isEqualTo(Compression.Mode.AUTO);
        assertThat(settings.compression().listed()).isEmpty();
        assertThat(settings.maintenance()).isEqualTo(new MaintenanceSettings(5000, 125, 1000));
        assertThat(settings.pool().idleTimeoutMillis()).isEqualTo(60_000);
        assertThat(settings.pool().maxIdlePools()).isEqualTo(8);
        assertThat(parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db") + "?compress=off&wal_autocheckpoint=0")
                .settings()).satisfies(off -> {
                    assertThat(off.compression().mode()).isEqualTo(Compression.Mode.OFF);
                    assertThat(off.maintenance().checkpointEveryWriterTurns()).isZero();
                });
        assertThat(parse("jdbc:enhanced-sqlite::memory:?profile=off").settings().maintenance()
                .checkpointEveryWriterTurns()).isZero();
    }

    @Test
    void whatTheUrlAsksOfReadOnlyIsDecidedWhenParsing() throws Exception {
        String file = "jdbc:enhanced-sqlite:file:" + dir.resolve("app.db");

        assertThat(parse(file).settings().readOnlyRequest()).isNull();
        assertThat(parse(file + "?mode=ro").settings().readOnlyRequest()).isEqualTo("its URI asks mode=ro");
        assertThat(parse(file + "?immutable=yes").settings().readOnlyRequest())
                .isEqualTo("its URI asks immutable=yes");
        assertThat(parse(file + "?immutable=0").settings().readOnlyRequest()).isNull();
        assertThat(parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db") + "?open_mode=1").settings()
                .readOnlyRequest()).isEqualTo("open_mode=1 does not include SQLITE_OPEN_READWRITE (2)");
        assertThat(parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db") + "?open_mode=6").settings()
                .readOnlyRequest()).isNull();
        assertThat(parse("jdbc:enhanced-sqlite:file::memory:?mode=ro").settings().readOnlyRequest()).isNull();
    }

    private static java.util.Map.Entry<Pragma, String> entry(Pragma pragma, String value) {
        return java.util.Map.entry(pragma, value);
    }

    @Test
    void ourKeysAreConsumedAndSqliteJdbcKeysPassThrough() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:" + dir.resolve("app.db")
                + "?profile=durable&cache_size=-2000&foreign_keys=TRUE&maximumPoolSize=3");

        assertThat(config.location().sqliteUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("app.db"));
        assertThat(config.settings().profile()).isEqualTo(Profile.DURABLE);
        assertThat(config.settings().pragmas()).containsEntry(Pragma.SYNCHRONOUS, "FULL")
                .containsEntry(Pragma.CACHE_SIZE, "-2000");
        assertThat(config.settings().sqliteProperties()).containsExactly(java.util.Map.entry("foreign_keys", "true"));
        assertThat(config.settings().pool().maximumPoolSize()).isEqualTo(3);
    }

    /**
     * Issue 14: a test suite opens a file per test with one URL shape, so the settings of a query (and Properties)
     * are parsed once and shared by every file; a different query or different Properties still get their own.
     */
    @Test
    void filesOpenedWithTheSameQueryShareTheirParsedSettings() throws Exception {
        String query = "?maximumPoolSize=3&synchronous=FULL";
        DatabaseConfig first = parse("jdbc:enhanced-sqlite:" + dir.resolve("test-1.db") + query);
        DatabaseConfig second = parse("jdbc:enhanced-sqlite:" + dir.resolve("test-2.db") + query);
        Properties info = new Properties();
        info.setProperty("maximumPoolSize", "4");
        DatabaseConfig withProperties = ConfigParser.parse("jdbc:enhanced-sqlite:" + dir.resolve("test-3.db") + query,
                info);
        DatabaseConfig otherQuery = parse("jdbc:enhanced-sqlite:" + dir.resolve("test-4.db") + "?maximumPoolSize=5");

        assertThat(second.settings()).isSameAs(first.settings());
        assertThat(second.location().poolKey()).isEqualTo(dir.toRealPath().resolve("test-2.db").toString());
        assertThat(withProperties.settings().pool().maximumPoolSize()).isEqualTo(4);
        assertThat(withProperties.settings().pragmas()).containsEntry(Pragma.SYNCHRONOUS, "FULL");
        assertThat(otherQuery.settings().pool().maximumPoolSize()).isEqualTo(5);
        assertThat(otherQuery.settings().pragmas()).containsEntry(Pragma.SYNCHRONOUS, "NORMAL");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:" + dir.resolve("test-5.db") + query + "&nosuchkey=1"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("nosuchkey");
    }

    @Test
    void propertiesWinOverTheUrl() throws Exception {
        Properties info = new Properties();
        info.setProperty("synchronous", "off");
        info.setProperty("PROFILE", "low-memory");

        DatabaseConfig config = ConfigParser.parse("jdbc:enhanced-sqlite:" + dir.resolve("a.db")
                + "?synchronous=FULL&profile=durable", info);

        assertThat(config.settings().profile()).isEqualTo(Profile.LOW_MEMORY);
        assertThat(config.settings().pragmas()).containsEntry(Pragma.SYNCHRONOUS, "OFF");
    }

    @Test
    void memoryFormsArePrivateAndSkipFileOnlyPragmas() throws Exception {
        for (String url : new String[] {"jdbc:enhanced-sqlite:", "jdbc:enhanced-sqlite::memory:",
                "jdbc:enhanced-sqlite:file::memory:", "jdbc:enhanced-sqlite:file:x?mode=memory"}) {
            DatabaseConfig config = parse(url);
            assertThat(config.location().kind()).as(url).isEqualTo(DatabaseLocation.Kind.PRIVATE_MEMORY);
            assertThat(config.settings().pragmas()).as(url)
                    .doesNotContainKeys(Pragma.JOURNAL_MODE, Pragma.MMAP_SIZE)
                    .containsKey(Pragma.CACHE_SIZE);
        }
    }

    @Test
    void sharedMemoryUriIsPooledUnderItsUri() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:file:mem1?mode=memory&cache=shared&profile=off");

        assertThat(config.location().kind()).isEqualTo(DatabaseLocation.Kind.SHARED_MEMORY);
        assertThat(config.location().sqliteUrl()).isEqualTo("jdbc:sqlite:file:mem1?mode=memory&cache=shared");
        assertThat(config.location().poolKey()).isEqualTo(config.location().sqliteUrl());
    }

    @Test
    void fileUriKeepsSqliteUriParametersAndDropsOurs() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:file:" + dir.resolve("a.db") + "?mode=ro&profile=off");

        assertThat(config.location().sqliteUrl()).isEqualTo("jdbc:sqlite:file:" + dir.resolve("a.db") + "?mode=ro");
        assertThat(config.location().poolKey()).isEqualTo(dir.toRealPath().resolve("a.db").toString());
    }

    @Test
    void everySpellingOfOneFileHasOneKey() throws Exception {
        Path real = Files.createFile(dir.resolve("same.db"));
        Path link = Files.createSymbolicLink(dir.resolve("link.db"), real);
        String expected = real.toRealPath().toString();

        assertThat(parse("jdbc:enhanced-sqlite:" + real).location().poolKey()).isEqualTo(expected);
        assertThat(parse("jdbc:enhanced-sqlite:" + link).location().poolKey()).isEqualTo(expected);
        assertThat(parse("jdbc:enhanced-sqlite:" + dir + "/./sub/../same.db").location().poolKey()).isEqualTo(expected);
        assertThat(parse("jdbc:enhanced-sqlite:file://" + real).location().poolKey()).isEqualTo(expected);
    }

    @Test
    void unknownKeyNamesItAndTheNearestValidKey() {
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:" + dir.resolve("a.db") + "?cahce_size=10"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'cahce_size'").hasMessageContaining("Did you mean 'cache_size'?");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:" + dir.resolve("a.db") + "?maxPoolSize=3"))
                .hasMessageContaining("Did you mean 'maximumPoolSize'?");
    }

    @Test
    void uriParameterOnAPlainPathExplainsTheFileUriForm() {
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:" + dir.resolve("a.db") + "?mode=ro"))
                .hasMessageContaining("SQLite URI parameter").hasMessageContaining("file:");
    }

    @Test
    void badValuesNameKeyValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?cache_size=1;DROP TABLE t"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'1;DROP TABLE t'").hasMessageContaining("'cache_size'")
                .hasMessageContaining("an integer");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?poolIdleTimeout=-1"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'-1'").hasMessageContaining("'poolIdleTimeout'");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?maxIdlePools=many"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'many'").hasMessageContaining("'maxIdlePools'").hasMessageContaining("an integer");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?journal_mode=wal2"))
                .hasMessageContaining("'wal2'").hasMessageContaining("one of delete, truncate, persist, memory, wal, off");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?profile=128gb"))
                .hasMessageContaining("'128gb'").hasMessageContaining("96gb, auto, low-memory, durable, off");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?page_size=3000"))
                .hasMessageContaining("a power of two");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?foreign_keys=maybe"))
                .hasMessageContaining("'foreign_keys'").hasMessageContaining("true");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?minimumIdle=5&maximumPoolSize=2"))
                .hasMessageContaining("minimumIdle=5").hasMessageContaining("maximumPoolSize=2");
    }

    @Test
    void malformedQueriesAreRejected() {
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?profile")).hasMessageContaining("no value");
        assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?user=alice"))
                .hasMessageContaining("no user accounts");
    }

    @Test
    void propertiesPutAsNumbersOrBooleansAreTakenByTheirTextAndOtherObjectsAreRefused() throws Exception {
        Properties info = new Properties();
        info.put("maximumPoolSize", 4);
        info.put("foreign_keys", Boolean.TRUE);

        DatabaseConfig config = ConfigParser.parse("jdbc:enhanced-sqlite:a.db", info);

        assertThat(config.settings().pool().maximumPoolSize()).isEqualTo(4);
        assertThat(config.settings().sqliteProperties()).containsEntry("foreign_keys", "true");
        info.put("cache_size", new Object());
        assertThatThrownBy(() -> ConfigParser.parse("jdbc:enhanced-sqlite:a.db", info))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'cache_size'");
    }

    @Test
    void aRepeatedKeyTakesItsLastValue() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:a.db?profile=off&synchronous=OFF&PROFILE=durable"
                + "&foreign_keys=true&foreign_keys=true");

        assertThat(config.settings().profile()).isEqualTo(Profile.DURABLE);
        assertThat(config.settings().pragmas()).containsEntry(Pragma.SYNCHRONOUS, "OFF");
        assertThat(config.settings().sqliteProperties()).containsEntry("foreign_keys", "true");
        assertThat(parse("jdbc:enhanced-sqlite:file:a.db?mode=rw&mode=ro").location().sqliteUrl())
                .isEqualTo("jdbc:sqlite:file:a.db?mode=ro");
    }

    /** Every key sqlite-jdbc knows is one of ours or has a rule written for it, not a guess from its choices. */
    @Test
    void everySqliteJdbcKeyHasATypedRule() {
        for (org.sqlite.SQLiteConfig.Pragma key : org.sqlite.SQLiteConfig.Pragma.values()) {
            boolean ours = Pragma.forKey(key.pragmaName) != null || Setting.forKey(key.pragmaName) != null;
            assertThat(ours || KnownKeys.hasOwnRule(key.pragmaName)).as(key.pragmaName).isTrue();
        }
    }

    @Test
    void passThroughValuesAreCanonicalAndSafeToWriteIntoAPragma() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:a.db?encoding=utf-16le&secure_delete=FAST&cache_spill=0"
                + "&temp_store_directory=" + dir + "&date_string_format=yyyy-MM-dd&open_mode=6&user_version=-3");

        assertThat(config.settings().sqliteProperties())
                .containsEntry("encoding", "'UTF-16le'")
                .containsEntry("secure_delete", "fast")
                .containsEntry("cache_spill", "false")
                .containsEntry("temp_store_directory", "'" + dir + "'")
                .containsEntry("date_string_format", "yyyy-MM-dd")
                .containsEntry("open_mode", "6")
                .containsEntry("user_version", "-3");
        for (String bad : new String[] {"user_version=1.5", "journal_mode=1", "locking_mode=0", "encoding=latin1",
                "temp_store_directory=" + dir.resolve("missing"), "date_string_format=rw", "open_mode=0x10",
                "max_page_count=-1", "limit_column=2147483648", "shared_cache=yes"}) {
            assertThatThrownBy(() -> parse("jdbc:enhanced-sqlite:a.db?" + bad)).as(bad)
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("'" + bad.substring(0, bad.indexOf('=')) + "'")
                    .hasMessageContaining("'" + bad.substring(bad.indexOf('=') + 1) + "'");
        }
    }

    @Test
    void offProfileSetsNothingButOverrides() throws Exception {
        DatabaseConfig config = parse("jdbc:enhanced-sqlite:a.db?profile=off&synchronous=2");

        assertThat(config.settings().pragmas()).containsExactly(entry(Pragma.SYNCHRONOUS, "FULL"));
        assertThat(config.settings().profile().optimizes()).isFalse();
    }

    @Test
    void equalSettingsAreEqualAndDifferencesAreNamed() throws Exception {
        Settings a = parse("jdbc:enhanced-sqlite:a.db?synchronous=normal").settings();
        Settings b = parse("jdbc:enhanced-sqlite:b.db").settings();
        Settings c = parse("jdbc:enhanced-sqlite:a.db?synchronous=full&maximumPoolSize=2").settings();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(c).isNotEqualTo(a);
        assertThat(c.differenceFrom(a)).contains("synchronous").contains("maximumPoolSize");
    }

    @Test
    void autoProfileNeverExceeds96gb() {
        long cacheKib = -Long.parseLong(Profile.AUTO.pragmas().get(Pragma.CACHE_SIZE));
        long mmap = Long.parseLong(Profile.AUTO.pragmas().get(Pragma.MMAP_SIZE));

        assertThat(cacheKib).isBetween(1L, 1_048_576L);
        assertThat(mmap).isBetween(1L, 8L << 30);
    }
}
