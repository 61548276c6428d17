package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue point 5, second half: private and shared memory databases, and how pools end. */
class PoolLifecycleTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:enhanced-sqlite::memory:", "jdbc:enhanced-sqlite:", "jdbc:enhanced-sqlite:file::memory:"})
    void eachConnectionToAPrivateMemoryDatabaseIsItsOwnDatabase(String url) throws SQLException {
        try (Connection first = DriverManager.getConnection(url)) {
            Db.execute(first, "CREATE TABLE mine(x)", "INSERT INTO mine VALUES (1)");
            try (Connection second = DriverManager.getConnection(url)) {
                assertThat(Db.tableExists(second, "main", "mine")).isFalse();
                Db.execute(second, "CREATE TABLE mine(y)"); // the name is free in this database
            }
            assertThat(Db.queryLong(first, "SELECT x FROM mine")).isEqualTo(1);
        }
        try (Connection later = DriverManager.getConnection(url)) {
            assertThat(Db.tableExists(later, "main", "mine")).isFalse();
        }
        assertThat(EnhancedSqlite.openDatabases()).isEmpty();
    }

    @Test
    void aSharedCacheMemoryDatabaseKeepsItsDataWhileItsPoolLives() throws Exception {
        String url = "jdbc:enhanced-sqlite:file:memdb1?mode=memory&cache=shared";
        try (Connection connection = DriverManager.getConnection(url)) {
            Db.execute(connection, "CREATE TABLE kept(x)", "INSERT INTO kept VALUES (1), (2)");
        }
        // no application connection is open now; the pool keeps the database alive
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Db.queryLong(connection, "SELECT sum(x) FROM kept")).isEqualTo(3);
        }
        assertThat(EnhancedSqlite.openDatabases()).hasSize(1);

        EnhancedSqlite.shutdown();

        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(Db.tableExists(connection, "main", "kept")).as("a new pool, a new memory database").isFalse();
        }
        assertThat(Db.files(dir)).isEmpty();
    }

    @Test
    void shutdownClosesThePoolsCheckpointsAndLeavesNoSidecarFiles() throws Exception {
        Path first = dir.resolve("first.db");
        Path second = dir.resolve("second.db");
        for (Path database : new Path[] {first, second}) {
            try (Connection connection = Db.open(database)) {
                Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                    for (int i = 0; i < 500; i++) {
                        insert.setString(1, "row " + i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            assertThat(Db.sidecars(database)).as("WAL mode while open").contains(database.getFileName() + "-wal");
        }
        assertThat(EnhancedSqlite.openDatabases()).containsExactlyInAnyOrder(first.toRealPath().toString(),
                second.toRealPath().toString());

        EnhancedSqlite.shutdown();

        assertThat(EnhancedSqlite.openDatabases()).isEmpty();
        assertThat(Db.files(dir)).containsExactly("first.db", "second.db");
        for (Path database : new Path[] {first, second}) {
            try (Connection plain = Db.plain(database)) {
                assertThat(Db.queryLong(plain, "SELECT count(*) FROM t")).isEqualTo(500);
                assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
                assertThat(Db.pragma(plain, "journal_mode")).as("the file stays a WAL database").isEqualTo("wal");
            }
        }
    }

    /**
     * The close runs PRAGMA optimize, which analyzes the tables the pool queried that have no statistics, only on a
     * database of 1 MiB or more: a test's file of a few rows got sqlite_stat1 and sqlite_stat4 of its own.
     */
    @Test
    void theCloseOptimizesOnlyADatabaseOfAMebibyteOrMore() throws Exception {
        Path small = dir.resolve("small.db");
        Path large = dir.resolve("large.db");
        for (Path database : new Path[] {small, large}) {
            try (Connection connection = Db.open(database, "compress=off")) {
                Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v BLOB)",
                        "CREATE INDEX t_k ON t(k)");
                int rows = database == small ? 3 : 300;
                Db.execute(connection, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + rows + ") INSERT INTO t(k, v) SELECT 'k' || i, randomblob(4000) FROM n");
                assertThat(Db.queryLong(connection, "SELECT count(*) FROM t WHERE k = 'k2'")).isEqualTo(1);
            }
        }

        EnhancedSqlite.shutdown();

        try (Connection plain = Db.plain(small)) {
            assertThat(Db.queryLong(plain, "PRAGMA page_count")).isLessThan(256);
            assertThat(Db.tableExists(plain, "main", "sqlite_stat1")).as("no statistics for three rows").isFalse();
        }
        try (Connection plain = Db.plain(large)) {
            assertThat(Db.queryLong(plain, "PRAGMA page_count")).isGreaterThanOrEqualTo(256);
            assertThat(Db.queryStrings(plain, "SELECT idx FROM sqlite_stat1 WHERE tbl = 't'"))
                    .as("optimize analyzed the queried table at close").contains("t_k");
        }
    }

    @Test
    void aConnectionAfterShutdownOpensANewPool() throws Exception {
        Path database = dir.resolve("again.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }
        EnhancedSqlite.shutdown();

        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "INSERT INTO t VALUES (2)");
            assertThat(Db.queryLong(connection, "SELECT sum(x) FROM t")).isEqualTo(3);
        }
        assertThat(EnhancedSqlite.openDatabases()).containsExactly(database.toRealPath().toString());
    }

    @Test
    void shutdownWithNothingOpenIsHarmless() {
        EnhancedSqlite.shutdown();
        EnhancedSqlite.shutdown();
        assertThat(EnhancedSqlite.openDatabases()).isEmpty();
    }

    @Test
    void aStatementOfAConnectionHeldAcrossShutdownFailsInsteadOfWritingIntoAClosedPool() throws Exception {
        Path database = dir.resolve("held.db");
        Connection held = Db.open(database);
        Db.execute(held, "CREATE TABLE t(x)");

        EnhancedSqlite.shutdown();

        assertThatThrownBy(() -> Db.execute(held, "INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class);
        held.close();
        assertThat(Db.sidecars(database)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"return", "exit", "exit-with-open-connection"})
    void jvmExitClosesThePoolsWithoutLosingRows(String ending) throws Exception {
        Path database = dir.resolve("exit.db");

        ChildJvm.Result child = ChildJvm.runWithTestClassPath(WriteAndExitMain.class, database.toString(), "200", ending);

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).as("the child ran in WAL mode").contains("sidecars-while-open=[exit.db-wal, exit.db-shm]");
        List<String> leftBehind = Db.sidecars(database);
        try (Connection plain = Db.plain(database)) {
            assertThat(Db.queryLong(plain, "SELECT count(*) FROM events")).isEqualTo(200);
            assertThat(Db.pragma(plain, "integrity_check")).isEqualTo("ok");
        }
        assertThat(leftBehind).as("left behind by the child; its output:\n%s", child.output()).isEmpty();
    }

    /**
     * A pool lease is never leaked when wrapping it fails: a connection closed behind the pool's back while idle is
     * found when it is borrowed again, given back (evicted) instead of lent, and the borrower gets a fresh one. With
     * one connection in the pool, a leaked lease would make that second borrow time out.
     */
    @Test
    void aLeaseThatCannotBeWrappedGoesBackToThePool() throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of("-Dcom.zaxxer.hikari.aliveBypassWindowMs=3600000"),
                ChildJvm.testClassPath(), LeaseGivenBackMain.class.getName(), dir.resolve("lease.db").toString());
        assertThat(result.output()).contains("closedUnderThePool=true", "sameConnection=false", "query=42",
                "activeWhileLent=1", "activeAfter=0", "total=1");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
