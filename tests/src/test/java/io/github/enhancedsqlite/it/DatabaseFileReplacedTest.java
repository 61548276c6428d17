package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 point 9: a database file deleted or renamed while its pool is open. The next getConnection notices that
 * the path no longer names the pool's file, closes that pool without creating anything at the path, and opens a new
 * pool on whatever is there now, as a fresh sqlite-jdbc connect would. The old file's -wal and -shm do not stay
 * behind, and a renamed file keeps every committed row.
 */
class DatabaseFileReplacedTest {

    private static final int ROWS = 300;

    @TempDir
    Path dir;

    private Path database;
    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        database = dir.resolve("data.db");
        // no background checkpoint: the rows stay in the WAL until the pool itself puts them into the file
        url = Db.url(database, "maximumPoolSize=2&maintenanceInterval=0");
        try (Connection connection = DriverManager.getConnection(url)) {
            Db.execute(connection, "CREATE TABLE old_rows(id INTEGER PRIMARY KEY, v TEXT)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO old_rows(v) VALUES (?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setString(1, "row " + i);
                    insert.executeUpdate();
                }
            }
        }
        assertThat(Db.sidecars(database)).as("WAL mode while the pool is open").contains("data.db-wal", "data.db-shm");
    }

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void afterTheFileIsDeletedTheNextConnectionOpensAFreshDatabaseAtThePath() throws Exception {
        Files.delete(database);

        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Db.tableExists(connection, "main", "old_rows")).as("the deleted database's table").isFalse();
            Db.execute(connection, "CREATE TABLE new_rows(v TEXT)", "INSERT INTO new_rows VALUES ('after')");
        }
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryStrings(plain, "SELECT v FROM new_rows")).containsExactly("after");
        }

        EnhancedSqlite.shutdown();

        assertThat(Db.files(dir)).containsExactly("data.db");
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryStrings(plain, "SELECT v FROM new_rows")).containsExactly("after");
            assertThat(Db.tableExists(plain, "main", "old_rows")).isFalse();
            assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
        }
    }

    @Test
    void aRenamedFileKeepsEveryCommittedRowAndThePathGetsAFreshDatabase() throws Exception {
        Path renamed = dir.resolve("renamed.db");
        Files.move(database, renamed);

        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Db.tableExists(connection, "main", "old_rows")).as("the renamed database's table").isFalse();
            Db.execute(connection, "CREATE TABLE new_rows(v TEXT)", "INSERT INTO new_rows VALUES ('after')");
        }
        assertThat(Db.files(dir)).as("the renamed file's -wal and -shm were named after the old path")
                .doesNotContain("renamed.db-wal", "renamed.db-shm");
        try (Connection plain = Db.plain(renamed)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM old_rows")).as("rows in the renamed file").isEqualTo(ROWS);
            assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
        }

        EnhancedSqlite.shutdown();

        assertThat(Db.files(dir)).containsExactly("data.db", "renamed.db");
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryStrings(plain, "SELECT v FROM new_rows")).containsExactly("after");
            assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
        }
    }

    @Test
    void closingThePoolOfADeletedFileCreatesNothingAtThePath() throws Exception {
        Files.delete(database);

        EnhancedSqlite.shutdown();

        assertThat(Db.files(dir)).as("no empty database, -wal or -shm at the old path").isEmpty();
    }

    /**
     * A connection lent out when the replacement is noticed is closed with its pool: a write into a deleted file
     * would be acknowledged and lost, and the old file's -shm at the path cannot be shared with the new database.
     */
    @Test
    void aConnectionLentOutWhenTheFileIsReplacedFailsInsteadOfWritingIntoTheDeletedFile() throws Exception {
        Connection held = DriverManager.getConnection(url);
        Db.execute(held, "INSERT INTO old_rows(v) VALUES ('held')");
        Files.delete(database);

        try (Connection fresh = DriverManager.getConnection(url)) {
            Db.execute(fresh, "CREATE TABLE new_rows(v TEXT)");
        }
        assertThatThrownBy(() -> Db.execute(held, "INSERT INTO old_rows(v) VALUES ('lost')"))
                .isInstanceOf(SQLException.class);
        held.close();

        EnhancedSqlite.shutdown();

        assertThat(Db.files(dir)).containsExactly("data.db");
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.tableExists(plain, "main", "new_rows")).isTrue();
            assertThat(Db.tableExists(plain, "main", "old_rows")).isFalse();
        }
    }
}
