package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.it.metrics.Figures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a transaction on a writable connection runs as a reader while it only reads and takes the writer turn at
 * its first write; the upgrade loses no update and, where nothing it read changed, never fails. "Another process" is a
 * plain sqlite-jdbc connection where the order of events must be exact, and a real child JVM through the driver for
 * the cross-process case.
 */
class ReadersFirstTest extends TxDatabaseTest {

    private static final String READ_ROW = "SELECT n FROM counter WHERE id = ?";

    private String url(String query) throws SQLException {
        return database("readers.db", query,
                "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0), (2, 0)");
    }

    @Test
    void aReaderOnAWritableConnectionCompletesWhileAnotherConnectionHoldsAWriteTransaction() throws Exception {
        String url = url("");
        try (Connection reader = DriverManager.getConnection(url); Connection writer = DriverManager.getConnection(url)) {
            TxDb.learnReadOnly(reader, "SELECT sum(n) FROM counter");
            writer.setAutoCommit(false);
            TxDb.update(writer, "UPDATE counter SET n = 5 WHERE id = 1"); // holds the writer turn and the write lock

            TxDb.Async<Long> read = TxDb.async("reader", () -> {
                reader.setAutoCommit(false);
                long sum = TxDb.queryLong(reader, "SELECT sum(n) FROM counter");
                reader.commit();
                return sum;
            });
            assertThat(read.join()).as("read the last committed state, without waiting").isZero();
            writer.commit();
        }
    }

    @Test
    void aReadThenWriteBesideACommitToAnotherRowNeitherWaitsNorFails() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            long n = readRow(connection, 1);
            TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 2"); // auto-commit: its turn ends
            assertThat(TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1")).isEqualTo(1);
            connection.commit();
            assertThat(Figures.of(file).getBusyRollbacks()).isZero();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(1);
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 2")).isEqualTo(10);
    }

    @Test
    void aReadThenWriteRacingAWriteToTheSameRowFailsWith40001AndTheOtherWriteStays() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            long n = readRow(connection, 1);
            TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 1");
            SQLException failure = catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = " + (n + 1)
                    + " WHERE id = 1"));
            assertThat(failure.getSQLState()).isEqualTo("40001");
            assertThat(failure.getMessage()).contains("what it read has changed");
            connection.rollback();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).as("the other write stays").isEqualTo(10);
    }

    /**
     * A reader whose first write must wait for the turn ends its snapshot before it waits: a snapshot kept open while
     * queued stopped every checkpoint from copying past it, and the WAL's restart, holding writers back until old
     * snapshots end, waited for the reader queued behind it. A checkpoint taken while it waits copies every frame
     * committed after its read; once it has the turn its reads are checked, and nothing is lost.
     */
    @Test
    void aReaderWaitingForTheTurnAtItsFirstWriteHoldsNoSnapshotThatStopsACheckpoint() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url);
             Connection witness = TxDb.witness(file)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            long n = readRow(connection, 1); // the reader's snapshot
            TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 2"); // committed after that snapshot
            other.setAutoCommit(false);
            TxDb.update(other, "UPDATE counter SET n = n + 100 WHERE id = 2"); // holds the writer turn

            TxDb.Async<Integer> write = TxDb.async("upgrading reader", () -> {
                int updated = TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1");
                connection.commit();
                return updated;
            });
            write.awaitWaitingForTheWriterTurn();
            long[] framesAndCopied = new long[2];
            // busy = 1 when the pool's background checkpoint ran at the same moment: then look again
            Figures.await("a checkpoint that no other checkpoint blocked", () -> passiveCheckpoint(witness, framesAndCopied));
            assertThat(framesAndCopied[1]).as("frames copied, against frames in the WAL: no snapshot held the copy back")
                    .isEqualTo(framesAndCopied[0]);
            other.commit();
            assertThat(write.join()).isEqualTo(1);
            assertThat(Figures.of(file).getBusyRollbacks()).as("nothing it read had changed").isZero();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(1);
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 2")).isEqualTo(110);
    }

    /** Runs a PASSIVE checkpoint; false when another checkpoint blocked it, else true with the WAL's frames and those copied. */
    private static boolean passiveCheckpoint(Connection witness, long[] framesAndCopied) {
        try (java.sql.Statement statement = witness.createStatement();
             ResultSet checkpoint = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            assertThat(checkpoint.next()).isTrue();
            if (checkpoint.getInt(1) != 0) {
                return false;
            }
            framesAndCopied[0] = checkpoint.getLong(2);
            framesAndCopied[1] = checkpoint.getLong(3);
            return true;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** A reader that waits for the turn after another writer changed the row it read still fails with 40001. */
    @Test
    void aReaderWaitingForTheTurnWhileItsRowChangesFailsWith40001() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            long n = readRow(connection, 1);
            other.setAutoCommit(false);
            TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 1"); // holds the turn, not yet committed
            TxDb.Async<Integer> write = TxDb.async("upgrading reader",
                    () -> TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1"));
            write.awaitWaitingForTheWriterTurn();
            other.commit();
            Throwable failure = write.failure();
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("40001");
            assertThat(failure.getMessage()).contains("what it read has changed");
            connection.rollback();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).as("the other write stays").isEqualTo(10);
    }

    /** Many threads race read-then-write on the same rows through inTransaction: every increment lands, none twice. */
    @Test
    void racingReadThenWriteUnitsThroughInTransactionLoseNoUpdate() throws Exception {
        String url = url("");
        int threads = 4;
        int units = 150;
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            try (Connection connection = dataSource.getConnection()) {
                learnReadOnly(connection); // begins as a reader, so the race meets the upgrade's check
            }
            List<TxDb.Async<Integer>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int row = 1 + t % 2;
                workers.add(TxDb.async("worker-" + t, () -> {
                    for (int i = 0; i < units; i++) {
                        EnhancedSqlite.inTransaction(dataSource, connection -> {
                            long n = readRow(connection, row);
                            return TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = " + row);
                        });
                    }
                    return units;
                }));
            }
            for (TxDb.Async<Integer> worker : workers) {
                worker.join();
            }
        }
        assertThat(TxDb.committed(file, "SELECT sum(n) FROM counter")).isEqualTo((long) threads * units);
    }

    @Test
    void inTransactionReplaysAUnitWhoseReadChangedBeforeItsWrite() throws Exception {
        String url = url("");
        AtomicInteger invocations = new AtomicInteger();
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url);
             Connection other = DriverManager.getConnection(url)) {
            try (Connection connection = dataSource.getConnection()) {
                learnReadOnly(connection);
            }
            long written = EnhancedSqlite.inTransaction(dataSource, connection -> {
                long n = readRow(connection, 1);
                if (invocations.incrementAndGet() == 1) {
                    TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 1");
                }
                TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1");
                return n + 1;
            });
            assertThat(invocations.get()).isEqualTo(2);
            assertThat(written).isEqualTo(11);
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(11);
    }

    /** A read whose result a re-run could change without any write (the clock, random()) never passes the check. */
    @Test
    void aReadThatCannotBeRepeatedMakesTheCheckFailEvenWhenNothingItReadChanged() throws Exception {
        String url = url("");
        for (String read : List.of("SELECT n, datetime('now') FROM counter WHERE id = 1",
                "SELECT n + random() * 0 FROM counter WHERE id = 1", "SELECT CURRENT_TIMESTAMP, n FROM counter")) {
            try (Connection connection = DriverManager.getConnection(url);
                 Connection other = DriverManager.getConnection(url)) {
                TxDb.learnReadOnly(connection, read);
                connection.setAutoCommit(false);
                TxDb.queryString(connection, read);
                TxDb.update(other, "UPDATE counter SET n = n + 1 WHERE id = 2"); // another row: the reads still hold
                SQLException failure = catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = 7 WHERE id = 1"));
                assertThat(failure.getSQLState()).as(read).isEqualTo("40001");
                assertThat(failure.getMessage()).as(read).contains("another result when run again");
                connection.rollback();
            }
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isZero();
    }

    /**
     * A repeatable read with functions passes; names that are also clock functions (a column or alias {@code time}) do
     * not count as the clock unless called.
     */
    @Test
    void aRepeatableReadWithFunctionsPassesTheCheck() throws Exception {
        String url = url("");
        String read = "SELECT abs(n), upper('x') AS time, n AS date FROM counter WHERE id = 1";
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            TxDb.learnReadOnly(connection, read);
            connection.setAutoCommit(false);
            TxDb.queryString(connection, read);
            TxDb.update(other, "UPDATE counter SET n = n + 1 WHERE id = 2");
            assertThat(TxDb.update(connection, "UPDATE counter SET n = 7 WHERE id = 1")).isEqualTo(1);
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(7);
    }

    /** Rolling back to begin again as a writer would drop a savepoint the application holds: 40001 instead. */
    @Test
    void aSavepointInTheReaderMakesTheCheckFail() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            readRow(connection, 1);
            Savepoint savepoint = connection.setSavepoint("before write");
            assertThat(savepoint).isNotNull();
            TxDb.update(other, "UPDATE counter SET n = n + 1 WHERE id = 2");
            SQLException failure = catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = 7 WHERE id = 1"));
            assertThat(failure.getSQLState()).isEqualTo("40001");
            assertThat(failure.getMessage()).contains("savepoint");
            connection.rollback();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isZero();
    }

    /** A result set of the reader still open when it writes keeps the old snapshot: it cannot move forward. */
    @Test
    void aResultSetStillOpenAtTheFirstWriteMakesTheCheckFail() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            TxDb.learnReadOnly(connection, "SELECT id, n FROM counter ORDER BY id");
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id, n FROM counter ORDER BY id")) {
                assertThat(rows.next()).isTrue();
                TxDb.update(other, "UPDATE counter SET n = n + 1 WHERE id = 2");
                SQLException failure = catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = 7 WHERE id = 1"));
                assertThat(failure.getSQLState()).isEqualTo("40001");
            }
            connection.rollback();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isZero();
    }

    @Test
    void transactionModeImmediateKeepsTheWriterTurnFromTheFirstStatement() throws Exception {
        String url = url("transaction_mode=IMMEDIATE");
        try (Connection connection = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            readRow(connection, 1);
            assertThat(TxDb.writeLockIsFree(file)).as("IMMEDIATE takes the write lock with the first read").isFalse();
            connection.commit();
        }
    }

    /**
     * A first statement whose transactions go on to write and conflict begins as a writer from then on, so the next
     * read-then-write has no conflict left to absorb.
     */
    @Test
    void aFirstStatementWhoseTransactionWroteAndConflictedBeginsAsAWriterFromThenOn() throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            readRow(connection, 1);
            assertThat(TxDb.writeLockIsFree(file)).as("begun as a reader").isTrue();
            TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 1");
            assertThat(catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = 1 WHERE id = 1")).getSQLState())
                    .isEqualTo("40001");
            connection.rollback();

            long n = readRow(connection, 1);
            assertThat(TxDb.writeLockIsFree(file)).as("begun as a writer").isFalse();
            TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1");
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(11);
    }

    /**
     * One first statement, two paths through the application: one that only reads, run far more often, and one that
     * reads the row and then writes it (BenchBase's Wikipedia opens its page views and its page edits with the same
     * read of the page). Learned by the statement alone, the views talked the edits back into beginning as readers
     * after every conflict, and an edit beside another writer conflicted again. Once they conflict often (here twice
     * in twenty transactions), the statement is learned per path: the edit begins as a writer from then on, the views
     * stay readers.
     */
    @Test
    void aFirstStatementOfAReadOnlyPathAndOfAReadThenWritePathIsLearnedPerPathOnceTheyConflictOften()
            throws Exception {
        String url = url("");
        try (Connection connection = DriverManager.getConnection(url); Connection other = DriverManager.getConnection(url)) {
            learnReadOnly(connection);
            for (int edit = 0; edit < 4; edit++) {
                connection.setAutoCommit(false);
                long n = readRow(connection, 1); // the edit's read: the same code every round
                boolean beganAsReader = TxDb.writeLockIsFree(file);
                if (edit < 2) {
                    assertThat(beganAsReader).as("edit %d begins as a reader: the read is known to only read", edit)
                            .isTrue();
                    TxDb.update(other, "UPDATE counter SET n = n + 10 WHERE id = 1");
                    assertThat(catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = " + (n + 1)
                            + " WHERE id = 1")).getSQLState()).isEqualTo("40001");
                    connection.rollback();
                } else {
                    assertThat(beganAsReader).as("edit %d begins as a writer", edit).isFalse();
                    TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1");
                    connection.commit();
                }
                connection.setAutoCommit(true);
                boolean viewBeganAsReader = false;
                for (int view = 0; view < 8; view++) {
                    viewBeganAsReader = viewBeginsAsReader(connection);
                }
                assertThat(viewBeganAsReader).as("the views begin as readers").isTrue();
            }
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(22);
    }

    /** A transaction that only reads the row; whether the write lock was free while it was open. */
    private boolean viewBeginsAsReader(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        readRow(connection, 1);
        boolean free = TxDb.writeLockIsFree(file);
        connection.commit();
        connection.setAutoCommit(true);
        return free;
    }

    /**
     * The first write of a reader stores a compressed value, so the driver records the column before the statement
     * runs: that write too meets the stale snapshot after another process committed, and is settled by the check.
     */
    @Test
    void aFirstWriteThatRecordsACompressedColumnAfterAnotherProcessCommittedGoesOn() throws Exception {
        String url = database("compressed.db", "compress=auto",
                "CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0), (2, 0)",
                "CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, body TEXT)");
        String body = "{\"memory\": \"" + "remember the milk and the eggs. ".repeat(200) + "\"}";
        try (Connection connection = DriverManager.getConnection(url); Connection otherProcess = TxDb.witness(file)) {
            learnReadOnly(connection);
            connection.setAutoCommit(false);
            readRow(connection, 1);
            TxDb.update(otherProcess, "UPDATE counter SET n = n + 1 WHERE id = 2"); // not seen by this JVM's counter
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes(id, body) VALUES (1, ?)")) {
                insert.setString(1, body);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            connection.commit();
            assertThat(TxDb.queryString(connection, "SELECT body FROM notes WHERE id = 1")).isEqualTo(body);
        }
        assertThat(TxDb.committedString(file, "SELECT typeof(body) FROM notes WHERE id = 1"))
                .as("stored compressed").isEqualTo("blob");
    }

    /**
     * Migration tools begin each migration's transaction with the read their read-only checks begin with (Flyway:
     * whether its history table is in sqlite_master). Once a transaction that began so changed the schema, such
     * transactions begin as writers for good, so a migration never has its reads of the schema checked against
     * whatever else committed beside it; read-only transactions of that shape do not teach it back.
     */
    @Test
    void aFirstStatementWhoseTransactionChangedTheSchemaBeginsAsAWriterFromThenOn() throws Exception {
        String url = url("");
        String schemaRead = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'history'";
        try (Connection connection = DriverManager.getConnection(url)) {
            TxDb.learnReadOnly(connection, schemaRead);
            connection.setAutoCommit(false);
            TxDb.queryLong(connection, schemaRead);
            assertThat(TxDb.writeLockIsFree(file)).as("begun as a reader").isTrue();
            TxDb.update(connection, "CREATE TABLE history(id INTEGER PRIMARY KEY)");
            connection.commit();

            for (int i = 0; i < 8; i++) {
                TxDb.learnReadOnly(connection, schemaRead);
            }
            TxDb.queryLong(connection, schemaRead);
            assertThat(TxDb.writeLockIsFree(file)).as("begun as a writer").isFalse();
            TxDb.update(connection, "ALTER TABLE history ADD COLUMN note TEXT");
            connection.commit();
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM pragma_table_info('history')")).isEqualTo(2);
    }

    /**
     * A value only stored anew in another form (another process's dictionary training re-encoding it, here an
     * envelope made at another compression level) is no change to what the application read: the reader's check
     * compares the originals its getters gave, not the stored bytes, and the write goes on.
     */
    @Test
    void aValueStoredAnewInAnotherEnvelopeIsNoChangeToTheReader() throws Exception {
        String[] schema = {"CREATE TABLE IF NOT EXISTS counter(id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO counter VALUES (1, 0), (2, 0)",
                "CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, body TEXT)"};
        String body = "{\"memory\": \"" + "remember the milk, the eggs and the 42 apples. ".repeat(150) + "\"}";
        Path other = dir.resolve("level19.db");
        try (Connection elsewhere = DriverManager.getConnection(TxDb.prepared(other, "compressLevel=19", schema))) {
            insertNote(elsewhere, body);
        }
        String url = database("compressed.db", "compress=auto", schema);
        String readNote = "SELECT body FROM notes WHERE id = 1";
        try (Connection connection = DriverManager.getConnection(url); Connection otherProcess = TxDb.witness(file)) {
            insertNote(connection, body);
            byte[] anew = TxDb.committedBytes(other, readNote);
            assertThat(anew).as("another envelope of the same value").isNotEqualTo(TxDb.committedBytes(file, readNote));
            TxDb.learnReadOnly(connection, "SELECT length(body) FROM notes WHERE id = 1");

            connection.setAutoCommit(false);
            assertThat(TxDb.queryLong(connection, "SELECT length(body) FROM notes WHERE id = 1")).isEqualTo(body.length());
            assertThat(TxDb.queryString(connection, readNote)).isEqualTo(body);
            try (PreparedStatement restore = otherProcess.prepareStatement("UPDATE notes SET body = ? WHERE id = 1")) {
                restore.setBytes(1, anew);
                assertThat(restore.executeUpdate()).isEqualTo(1);
            }
            assertThat(TxDb.update(connection, "UPDATE counter SET n = n + 1 WHERE id = 1")).isEqualTo(1);
            connection.commit();
            assertThat(Figures.of(file).getBusyRollbacks()).isZero();
        }
        assertThat(TxDb.committedBytes(file, readNote)).isEqualTo(TxDb.committedBytes(other, readNote));
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(1);
    }

    /**
     * Opening a connection commits nothing, so a pool that opens more connections beside a reader (HikariCP does it
     * in the background while the first lease works) cannot change what the reader read. PRAGMA optimize at open
     * once did: on tables created since the pool opened it ran ANALYZE, which adds sqlite_stat1 to sqlite_master,
     * outside the writer turn, and failed a Flyway migration that had read sqlite_master.
     */
    @Test
    void connectionsThePoolOpensBesideTheFirstCommitNothing() throws Exception {
        String url = database("opens.db", "maximumPoolSize=4");
        try (Connection first = DriverManager.getConnection(url)) {
            TxDb.update(first, "CREATE TABLE projects(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
            TxDb.update(first, "CREATE TABLE tasks(id INTEGER PRIMARY KEY, project_id INTEGER, title TEXT)");
            TxDb.update(first, "CREATE INDEX tasks_by_project ON tasks(project_id)");
            TxDb.update(first, "INSERT INTO projects(name) VALUES ('inbox'), ('home')");
            TxDb.update(first, "INSERT INTO tasks(project_id, title) VALUES (1, 'a'), (1, 'b'), (2, 'c')");
            long before = TxDb.queryLong(first, "PRAGMA data_version");
            List<Connection> more = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Connection opened = DriverManager.getConnection(url); // the others are lent: a new one opens
                    more.add(opened);
                    assertThat(TxDb.queryLong(opened, "SELECT count(*) FROM tasks")).isEqualTo(3);
                }
            } finally {
                for (Connection opened : more) {
                    opened.close();
                }
            }
            assertThat(TxDb.queryLong(first, "PRAGMA data_version")).as("no other connection committed").isEqualTo(before);
        }
        assertThat(TxDb.committed(file, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")).isZero();
    }

    private static void insertNote(Connection connection, String body) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes(id, body) VALUES (1, ?)")) {
            insert.setString(1, body);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    /** Another process (a real JVM through the driver) commits between this transaction's read and its write. */
    @Test
    void anotherProcessCommittingBetweenTheReadAndTheWrite() throws Exception {
        String url = url("");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", testClassPath(), SqlChildMain.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream childIn = child.getOutputStream();
             Connection connection = DriverManager.getConnection(url)) {
            assertThat(childOut.readLine()).isEqualTo("ready");
            learnReadOnly(connection);

            // another row: the reads still hold, the write goes on
            connection.setAutoCommit(false);
            long n = readRow(connection, 1);
            assertThat(tell(childIn, childOut, "UPDATE counter SET n = n + 10 WHERE id = 2")).isEqualTo("ok 1");
            assertThat(TxDb.update(connection, "UPDATE counter SET n = " + (n + 1) + " WHERE id = 1")).isEqualTo(1);
            connection.commit();

            // the same row: 40001, and the other process's write stays
            learnReadOnly(connection);
            n = readRow(connection, 1);
            assertThat(tell(childIn, childOut, "UPDATE counter SET n = n + 100 WHERE id = 1")).isEqualTo("ok 1");
            long read = n;
            SQLException failure = catchSql(() -> TxDb.update(connection, "UPDATE counter SET n = " + (read + 1)
                    + " WHERE id = 1"));
            assertThat(failure.getSQLState()).isEqualTo("40001");
            connection.rollback();
        } finally {
            child.getOutputStream().close();
            child.waitFor();
            child.destroyForcibly();
        }
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 1")).isEqualTo(101);
        assertThat(TxDb.committed(file, "SELECT n FROM counter WHERE id = 2")).isEqualTo(10);
    }

    private static String tell(OutputStream childIn, BufferedReader childOut, String sql) throws IOException {
        childIn.write((sql + "\n").getBytes(StandardCharsets.UTF_8));
        childIn.flush();
        return childOut.readLine();
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Teaches the driver that transactions beginning with {@link #READ_ROW} only read. */
    private static void learnReadOnly(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        readRow(connection, 1);
        connection.commit();
        connection.setAutoCommit(autoCommit);
    }

    private static long readRow(Connection connection, int id) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(READ_ROW)) {
            read.setInt(1, id);
            try (ResultSet rows = read.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getLong(1);
            }
        }
    }

    private interface SqlCall {
        void run() throws Exception;
    }

    private static SQLException catchSql(SqlCall call) throws Exception {
        try {
            call.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected an SQLException");
    }
}
