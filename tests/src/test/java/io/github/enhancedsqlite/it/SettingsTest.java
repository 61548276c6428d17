package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue point 3: settings from the URL and Properties, what reaches sqlite-jdbc, and how mistakes are reported. */
class SettingsTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void urlQuerySettingsApply() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("a.db"), "synchronous=FULL&cache_size=-4096")) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("2");
            assertThat(Db.pragma(connection, "cache_size")).isEqualTo("-4096");
        }
    }

    @Test
    void propertiesWinOverTheUrlQuery() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("synchronous", "FULL");
        properties.setProperty("cache_size", "-2048");

        try (Connection connection = DriverManager.getConnection(Db.url(dir.resolve("b.db"), "synchronous=OFF"), properties)) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("2");
            assertThat(Db.pragma(connection, "cache_size")).isEqualTo("-2048");
        }
    }

    @Test
    void ourKeysNeverReachSqliteJdbcAsPartOfTheFileName() throws Exception {
        Path database = dir.resolve("app.db");
        try (Connection connection = Db.open(database,
                "profile=durable&maximumPoolSize=3&minimumIdle=0&connectionTimeout=1000&statementCacheSize=8&busy_timeout=250")) {
            Db.execute(connection, "CREATE TABLE t(x)");
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("2");
            assertThat(Db.pragma(connection, "busy_timeout")).isEqualTo("250");
        }
        EnhancedSqlite.shutdown();

        assertThat(Db.files(dir)).containsExactly("app.db");
    }

    @Test
    void sqliteJdbcKeysPassThrough() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("fk.db"), "foreign_keys=true")) {
            assertThat(Db.pragma(connection, "foreign_keys")).isEqualTo("1");
            Db.execute(connection, "CREATE TABLE parent(id INTEGER PRIMARY KEY)",
                    "CREATE TABLE child(parent_id INTEGER REFERENCES parent(id))");
            assertThatThrownBy(() -> Db.execute(connection, "INSERT INTO child VALUES (99)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("FOREIGN KEY");
        }
    }

    @Test
    void sqliteJdbcDateClassPassesThrough() throws SQLException {
        Timestamp timestamp = Timestamp.valueOf("2024-05-06 07:08:09");
        Path database = dir.resolve("dates.db");
        try (Connection connection = Db.open(database, "date_class=text")) {
            Db.execute(connection, "CREATE TABLE d(at)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO d VALUES (?)")) {
                insert.setTimestamp(1, timestamp);
                insert.executeUpdate();
            }
            assertThat(Db.queryStrings(connection, "SELECT typeof(at) FROM d")).containsExactly("text");
        }
        // the same write through sqlite-jdbc's default stores an integer: the key made the difference
        try (Connection connection = Db.open(dir.resolve("dates-default.db"))) {
            Db.execute(connection, "CREATE TABLE d(at)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO d VALUES (?)")) {
                insert.setTimestamp(1, timestamp);
                insert.executeUpdate();
            }
            assertThat(Db.queryStrings(connection, "SELECT typeof(at) FROM d")).containsExactly("integer");
        }
    }

    /** Frameworks pass an empty user and password (or none); every form reaches the same pool. */
    @Test
    void emptyCredentialsAsFrameworksSendThemShareOnePool() throws Exception {
        Path database = dir.resolve("credentials.db");
        String url = Db.url(database);
        try (Connection none = DriverManager.getConnection(url);
             Connection nulls = DriverManager.getConnection(url, null, null);
             Connection empty = DriverManager.getConnection(url, "", "")) {
            Db.execute(none, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
            assertThat(Db.queryLong(nulls, "SELECT x FROM t")).isEqualTo(1);
            assertThat(Db.queryLong(empty, "SELECT x FROM t")).isEqualTo(1);
        }
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(database.toRealPath().toString());

        assertThatThrownBy(() -> DriverManager.getConnection(url, "admin", ""))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("user");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingItAndTheNearestKey() throws Exception {
        Path database = dir.resolve("typo.db");

        assertThatThrownBy(() -> Db.open(database, "cahce_size=-1000"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cahce_size")
                .hasMessageContaining("cache_size");
        assertThat(Db.files(dir)).as("nothing was opened or created").isEmpty();
    }

    @Test
    void anUnknownKeyInPropertiesIsAnErrorToo() {
        Properties properties = new Properties();
        properties.setProperty("maximumPolSize", "3");

        assertThatThrownBy(() -> DriverManager.getConnection(Db.url(dir.resolve("p.db")), properties))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("maximumPolSize")
                .hasMessageContaining("maximumPoolSize");
    }

    @Test
    void aBadValueNamesKeyValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> Db.open(dir.resolve("bad.db"), "synchronous=sometimes"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("synchronous")
                .hasMessageContaining("sometimes")
                .hasMessageContaining("NORMAL")
                .hasMessageContaining("FULL");
        assertThatThrownBy(() -> Db.open(dir.resolve("bad.db"), "maximumPoolSize=0"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("maximumPoolSize")
                .hasMessageContaining("'0'")
                .hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> Db.open(dir.resolve("bad.db"), "profile=fast"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("profile")
                .hasMessageContaining("fast")
                .hasMessageContaining("durable");
    }

    @Test
    void aValueCannotSmuggleSqlIntoAPragma() throws Exception {
        Path database = dir.resolve("inject.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }
        EnhancedSqlite.shutdown();

        assertThatThrownBy(() -> Db.open(database, "cache_size=1;DROP TABLE t"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cache_size")
                .hasMessageContaining("1;DROP TABLE t");
        EnhancedSqlite.shutdown();

        try (Connection plain = Db.plain(database)) {
            assertThat(Db.tableExists(plain, "main", "t")).isTrue();
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM t")).isEqualTo(1);
        }
    }

    /**
     * Issue 11 point 8: a key given twice in the URL takes its last value, as sqlite-jdbc does (code that appends
     * an override to a base URL keeps working); identical repeats are harmless; Properties still win over both.
     */
    @Test
    void aRepeatedUrlKeyTakesItsLastValueAndPropertiesStillWin() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("repeat.db"),
                "synchronous=OFF&cache_size=-4096&SYNCHRONOUS=FULL&cache_size=-4096")) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("2");
            assertThat(Db.pragma(connection, "cache_size")).isEqualTo("-4096");
        }
        EnhancedSqlite.shutdown();

        Properties properties = new Properties();
        properties.setProperty("synchronous", "NORMAL");
        try (Connection connection = DriverManager.getConnection(
                Db.url(dir.resolve("repeat.db"), "synchronous=OFF&synchronous=FULL"), properties)) {
            assertThat(Db.pragma(connection, "synchronous")).isEqualTo("1");
        }
    }

    /** Issue 11 point 12: sqlite-jdbc's keys that become a PRAGMA are typed like ours, checked before anything opens. */
    @Test
    void passThroughPragmaValuesAreTypedAndNothingIsHalfApplied() throws Exception {
        Path database = dir.resolve("typed.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }
        EnhancedSqlite.shutdown();

        assertThatThrownBy(() -> Db.open(database, "user_version=7;DROP TABLE t"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("user_version")
                .hasMessageContaining("'7;DROP TABLE t'")
                .hasMessageContaining("an integer");
        assertThatThrownBy(() -> Db.open(database, "journal_mode=1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("journal_mode")
                .hasMessageContaining("'1'")
                .hasMessageContaining("wal");
        assertThatThrownBy(() -> Db.open(database, "limit_length=NaN"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("limit_length")
                .hasMessageContaining("'NaN'")
                .hasMessageContaining("an integer");
        assertThatThrownBy(() -> Db.open(database, "max_page_count=shared"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("max_page_count")
                .hasMessageContaining("'shared'");
        assertThatThrownBy(() -> Db.open(database, "foreign_keys=true&user_version=x"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("user_version");
        assertThat(EnhancedSqlite.openDatabases()).as("no pool was opened").isEmpty();

        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM t")).isEqualTo(1);
            assertThat(Db.pragma(plain, "user_version")).isEqualTo("0");
        }
        try (Connection connection = Db.open(database, "user_version=7&limit_length=1000000&max_page_count=100000")) {
            assertThat(Db.pragma(connection, "user_version")).isEqualTo("7");
            assertThat(Db.pragma(connection, "max_page_count")).isEqualTo("100000");
        }
    }

    /**
     * Issue 11 point 13: every key sqlite-jdbc knows, given values it cannot use, fails with an SQLException
     * naming key and value — never an IllegalArgumentException or NumberFormatException from inside sqlite-jdbc.
     */
    @Test
    void everySqliteJdbcKeyRefusesBadValuesWithAnSqlException() throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:enhanced-sqlite::memory:?date_string_format=rw"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("date_string_format")
                .hasMessageContaining("'rw'")
                .hasMessageContaining("expected a date pattern");
        assertThatThrownBy(() -> Db.open(dir.resolve("open-mode.db"), "open_mode=0x10"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("open_mode")
                .hasMessageContaining("'0x10'")
                .hasMessageContaining("expected an integer from 0");

        java.util.List<String> freeText = java.util.List.of("password");
        for (org.sqlite.SQLiteConfig.Pragma key : org.sqlite.SQLiteConfig.Pragma.values()) {
            for (String bad : new String[] {"1;DROP TABLE t", "NaN", "rw", "0x10", "'"}) {
                try (Connection connection = DriverManager.getConnection(
                        "jdbc:enhanced-sqlite::memory:?" + key.pragmaName + "=" + bad)) {
                    assertThat(freeText).as(key.pragmaName + "=" + bad + " was accepted").contains(key.pragmaName);
                } catch (SQLException expected) {
                    // names the key, the value and what the key accepts
                    assertThat(expected.getMessage()).as(key.pragmaName + "=" + bad).contains(key.pragmaName)
                            .contains("'" + bad + "'").contains("expected");
                }
            }
        }
    }

    @Test
    void getPropertyInfoListsEveryKeyWithDescriptionAndDefault() throws SQLException {
        DriverPropertyInfo[] info = EnhancedSqliteDriver.registered().getPropertyInfo(Db.url(dir.resolve("x.db")), new Properties());
        Map<String, DriverPropertyInfo> byName = Arrays.stream(info)
                .collect(Collectors.toMap(key -> key.name, Function.identity(), (a, b) -> a));

        assertThat(info).allSatisfy(key -> assertThat(key.description).as(key.name).isNotBlank());
        assertThat(byName).containsKeys("profile", "maximumPoolSize", "minimumIdle", "connectionTimeout",
                "statementCacheSize", "cache_size", "mmap_size", "temp_store", "journal_mode", "synchronous",
                "wal_autocheckpoint", "busy_timeout", "journal_size_limit", "page_size",
                // sqlite-jdbc's own keys, which pass through
                "foreign_keys", "date_class");
        assertThat(byName.get("profile").value).isEqualTo("96gb");
        assertThat(byName.get("profile").choices).contains("96gb", "auto", "low-memory", "durable", "off");
        assertThat(byName.get("maximumPoolSize").value).isEqualTo("10");
        assertThat(byName.get("connectionTimeout").value).isEqualTo("30000");
        assertThat(byName.get("cache_size").value).isEqualTo("-1048576");
        assertThat(byName.get("mmap_size").value).isEqualTo("8589934592");
        assertThat(byName.get("journal_mode").value).isEqualToIgnoringCase("wal");
        assertThat(byName.get("synchronous").value).isEqualToIgnoringCase("NORMAL");
        assertThat(byName.get("temp_store").value).isEqualToIgnoringCase("MEMORY");
        assertThat(byName.get("wal_autocheckpoint").value).isEqualTo("1000");
        assertThat(byName.get("busy_timeout").value).isEqualTo("5000");
        assertThat(byName.get("journal_size_limit").value).isEqualTo("67108864");
        assertThat(byName.get("minimumIdle").value).isNotNull();
        assertThat(byName.get("statementCacheSize").value).isNotNull();
    }

    /** Every key getPropertyInfo lists under our own names is one the driver accepts (no key that only looks valid). */
    @Test
    void everyListedKeyIsAccepted() throws SQLException {
        DriverPropertyInfo[] info = EnhancedSqliteDriver.registered().getPropertyInfo(Db.url(dir.resolve("x.db")), new Properties());
        for (String key : new String[] {"profile", "maximumPoolSize", "minimumIdle", "connectionTimeout", "statementCacheSize",
                "cache_size", "mmap_size", "temp_store", "journal_mode", "synchronous", "wal_autocheckpoint",
                "busy_timeout", "journal_size_limit"}) {
            DriverPropertyInfo listed = Arrays.stream(info).filter(i -> i.name.equals(key)).findFirst().orElseThrow();
            Properties properties = new Properties();
            properties.setProperty(key, listed.value);
            try (Connection connection = DriverManager.getConnection(Db.url(dir.resolve("keys.db")), properties)) {
                assertThat(connection.isValid(1)).as(key).isTrue();
            }
            EnhancedSqlite.shutdown();
        }
    }
}
