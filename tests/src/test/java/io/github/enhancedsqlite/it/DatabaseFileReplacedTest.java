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
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Issue 11 point 9: a database file deleted or renamed while its pool is open. The next getConnection notices that
 * the path no longer names the pool's file, closes that pool without creating anything at the path, and opens a new
 * pool on whatever is there now, as a fresh sqlite-jdbc connect would. The old file's -wal and -shm do not stay
 * behind, and a renamed file keeps every committed row. A write through a connection lent out before the change fails
 * with SQLITE_READONLY_DBMOVED, as SQLite fails it outside WAL mode, instead of going into a file no longer at the path.
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

    /**
     * sqlite-jdbc's ErrorMessageTest#moved: SQLite refuses a write to a file renamed since it was opened only in
     * rollback-journal mode (the check runs where it opens the journal); in WAL mode the write would land in the
     * renamed file while the application believes it writes the one at the path.
     */
    @Test
    void aWriteThroughAConnectionHeldWhileItsFileIsRenamedFailsWithDbMoved() throws Exception {
        Path renamed = dir.resolve("renamed.db");
        try (Connection held = DriverManager.getConnection(url)) {
            Db.execute(held, "INSERT INTO old_rows(v) VALUES ('before')");
            Files.move(database, renamed);

            assertThatThrownBy(() -> Db.execute(held, "INSERT INTO old_rows(v) VALUES ('after the move')"))
                    .isInstanceOfSatisfying(SQLiteException.class, e -> {
                        assertThat(e.getResultCode()).isEqualTo(SQLiteErrorCode.SQLITE_READONLY_DBMOVED);
                        assertThat(e.getErrorCode()).isEqualTo(SQLiteErrorCode.SQLITE_READONLY.code);
                    })
                    .hasMessageStartingWith("[SQLITE_READONLY_DBMOVED]")
                    .hasMessageContaining(database.toString());
            assertThat(Db.queryLong(held, "SELECT count(*) FROM old_rows")).as("reads go on").isEqualTo(ROWS + 1);
        }
        EnhancedSqlite.shutdown();

        try (Connection plain = Db.plain(renamed)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM old_rows")).isEqualTo(ROWS + 1);
            assertThat(Db.queryStrings(plain, "SELECT v FROM old_rows WHERE v LIKE '%move%'")).isEmpty();
        }
    }

    /**
     * Without the refusal the row would be acknowledged and then lost with the deleted file's last descriptor. Both
     * ways a transaction comes to write are refused: a reader that began before the file went, at its first write
     * (it takes the writer turn then), and a transaction that begins as a writer (with the turn) afterwards, at its
     * first write, not at its reads.
     */
    @Test
    void aWriteIntoADeletedFileFailsInTheTransactionThatWouldLoseIt() throws Exception {
        String count = "SELECT count(*) FROM old_rows";
        try (Connection reader = DriverManager.getConnection(url);
             Connection writer = DriverManager.getConnection(url)) {
            reader.setAutoCommit(false);
            assertThat(Db.queryLong(reader, count)).isEqualTo(ROWS);
            reader.commit(); // it only read: transactions that begin with this statement begin as readers from now on
            assertThat(Db.queryLong(reader, count)).isEqualTo(ROWS);
            Files.delete(database);
            writer.setAutoCommit(false);
            // a statement no transaction began with yet: this one begins as a writer, taking the turn
            assertThat(Db.queryStrings(writer, "SELECT v FROM old_rows WHERE id = 1")).containsExactly("row 0");

            assertThatThrownBy(() -> Db.execute(writer, "INSERT INTO old_rows(v) VALUES ('lost')"))
                    .isInstanceOfSatisfying(SQLiteException.class, e -> assertThat(e.getResultCode())
                            .isEqualTo(SQLiteErrorCode.SQLITE_READONLY_DBMOVED));
            writer.rollback();
            assertThatThrownBy(() -> Db.execute(reader, "UPDATE old_rows SET v = 'lost' WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLiteException.class, e -> assertThat(e.getResultCode())
                            .isEqualTo(SQLiteErrorCode.SQLITE_READONLY_DBMOVED));
            assertThat(Db.queryLong(reader, count)).as("the reader still reads").isEqualTo(ROWS);
            reader.rollback();
            reader.setAutoCommit(true);
            assertThatThrownBy(() -> Db.execute(reader, "DELETE FROM old_rows"))
                    .isInstanceOf(SQLiteException.class).hasMessageStartingWith("[SQLITE_READONLY_DBMOVED]");
        }

        try (Connection fresh = DriverManager.getConnection(url)) {
            assertThat(Db.tableExists(fresh, "main", "old_rows")).isFalse();
            Db.execute(fresh, "CREATE TABLE new_rows(v TEXT)", "INSERT INTO new_rows VALUES ('after')");
            assertThat(Db.queryStrings(fresh, "SELECT v FROM new_rows")).containsExactly("after");
        }
    }
}
