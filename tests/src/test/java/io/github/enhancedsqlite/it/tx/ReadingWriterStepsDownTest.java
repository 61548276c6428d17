package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A transaction whose first statement was never seen begins as a writer, holding the writer turn, until it is learned
 * whether such transactions write. Spring Batch's cursor reader opens exactly that: a connection of its own, auto-commit
 * off, one SELECT held open while the same thread writes each chunk through another connection. Those writes would wait
 * for the turn their own thread held, and failed at once (25001): the first job of every JVM failed, where plain
 * sqlite-jdbc completes it. A writer that has only read gives the turn to another connection of its thread and goes on
 * as a reader in the same snapshot.
 */
class ReadingWriterStepsDownTest extends TxDatabaseTest {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS src(id INTEGER PRIMARY KEY, payload TEXT)",
        "CREATE TABLE IF NOT EXISTS tgt(id INTEGER PRIMARY KEY, payload TEXT)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                + " INSERT INTO src SELECT i, 'item ' || i FROM n"
    };

    @Test
    void aCursorHeldOpenOnAConnectionThatOnlyReadLetsItsThreadWriteEveryChunk() throws Exception {
        String url = database("cursor.db", "maximumPoolSize=4", SCHEMA);
        try (Connection reader = DriverManager.getConnection(url)) {
            reader.setAutoCommit(false);
            try (PreparedStatement query = reader.prepareStatement("SELECT id, payload FROM src ORDER BY id");
                 ResultSet cursor = query.executeQuery()) {
                for (int chunk = 0; chunk < 3; chunk++) {
                    try (Connection writer = DriverManager.getConnection(url)) {
                        writer.setAutoCommit(false);
                        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO tgt VALUES (?, ?)")) {
                            for (int i = 0; i < 100 && cursor.next(); i++) {
                                insert.setLong(1, cursor.getLong(1));
                                insert.setString(2, cursor.getString(2));
                                insert.addBatch();
                            }
                            insert.executeBatch();
                        }
                        // a change to rows the cursor has yet to reach: its snapshot must not see it
                        TxDb.update(writer, "UPDATE src SET payload = 'changed' WHERE id > 250");
                        writer.commit();
                    }
                }
                assertThat(cursor.next()).isFalse();
            }
            // the reader's transaction is still the snapshot it began in
            assertThat(TxDb.queryLong(reader, "SELECT count(*) FROM tgt")).isZero();
            reader.commit();
            assertThat(TxDb.queryLong(reader, "SELECT count(*) FROM tgt")).isEqualTo(300);
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(payload, ',') FROM (SELECT payload FROM tgt"
                + " WHERE id IN (1, 251, 300) ORDER BY id)")).isEqualTo("item 1,item 251,item 300");
        assertThat(TxDb.committed(file, "SELECT count(*) FROM src WHERE payload = 'changed'")).isEqualTo(50);
    }

    /**
     * The reads it made as a writer were not kept for the check a reader's first write needs. Once another writer has
     * committed, a write of it cannot be confirmed and is refused with 40001; nothing anyone committed is lost.
     */
    @Test
    void aWriterThatSteppedDownAndThenWritesAfterAnotherCommitIsRolledBackWith40001() throws Exception {
        String url = database("then-write.db", "maximumPoolSize=4", SCHEMA);
        try (Connection first = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            assertThat(TxDb.queryLong(first, "SELECT payload = 'item 7' FROM src WHERE id = 7")).isEqualTo(1);
            try (Connection second = DriverManager.getConnection(url)) {
                second.setAutoCommit(false);
                TxDb.update(second, "UPDATE src SET payload = 'second' WHERE id = 7");
                second.commit();
            }
            assertThatThrownBy(() -> TxDb.update(first, "UPDATE src SET payload = 'first' WHERE id = 7"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("40001"));
            first.rollback();
            assertThat(TxDb.queryString(first, "SELECT payload FROM src WHERE id = 7")).isEqualTo("second");
            TxDb.update(first, "UPDATE src SET payload = payload || '+first' WHERE id = 7");
            first.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT payload FROM src WHERE id = 7")).isEqualTo("second+first");
    }

    /** Where nobody committed in between, the stepped-down writer's write simply goes through. */
    @Test
    void aWriterThatSteppedDownWritesWhenNobodyCommittedInBetween() throws Exception {
        String url = database("no-commit.db", "maximumPoolSize=4", SCHEMA);
        try (Connection first = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            assertThat(TxDb.queryLong(first, "SELECT count(*) FROM src")).isEqualTo(300);
            try (Connection second = DriverManager.getConnection(url)) {
                second.setAutoCommit(false);
                TxDb.update(second, "INSERT INTO tgt VALUES (1, 'second')");
                second.rollback();
            }
            assertThat(TxDb.update(first, "INSERT INTO tgt VALUES (2, 'first')")).isEqualTo(1);
            first.commit();
        }
        assertThat(TxDb.committedString(file, "SELECT group_concat(payload) FROM tgt")).isEqualTo("first");
    }

    /**
     * A transaction that only reads waits for another thread's write (handed to an executor and joined): plain
     * sqlite-jdbc in WAL mode lets the write through at once. Begun as a writer by guess, it held the turn that write
     * waited for, until transactionTimeout rolled it back (30 s). A holder that has only read and whose thread waits
     * for something else gives the turn up.
     */
    @Test
    void aTransactionThatOnlyReadLetsTheWriteItWaitsForOnAnotherThreadThrough() throws Exception {
        String url = database("waits-for-write.db", "maximumPoolSize=4&writerTimeout=20000", SCHEMA);
        try (Connection reader = DriverManager.getConnection(url)) {
            reader.setAutoCommit(false);
            assertThat(TxDb.queryLong(reader, "SELECT count(*) FROM tgt")).isZero();
            TxDb.Async<Integer> audit = TxDb.async("audit", () -> {
                try (Connection writer = DriverManager.getConnection(url)) {
                    return TxDb.update(writer, "INSERT INTO tgt VALUES (1, 'viewed')");
                }
            });
            assertThat(audit.join()).isEqualTo(1);
            assertThat(TxDb.queryLong(reader, "SELECT count(*) FROM tgt")).as("its snapshot").isZero();
            reader.commit();
            assertThat(TxDb.queryLong(reader, "SELECT count(*) FROM tgt")).isEqualTo(1);
        }
    }

    /** A report iterating a result set in a transaction lets other threads write between its rows. */
    @Test
    void aReportIteratingInATransactionLetsOtherThreadsWriteBetweenItsRows() throws Exception {
        String url = database("report.db", "maximumPoolSize=4&writerTimeout=20000", SCHEMA);
        long rows = 0;
        try (Connection report = DriverManager.getConnection(url)) {
            report.setAutoCommit(false);
            try (PreparedStatement query = report.prepareStatement("SELECT id FROM src ORDER BY id");
                 ResultSet cursor = query.executeQuery()) {
                while (cursor.next()) {
                    rows++;
                    if (rows % 100 == 0) {
                        long id = rows;
                        TxDb.Async<Integer> write = TxDb.async("writer " + id, () -> {
                            try (Connection writer = DriverManager.getConnection(url)) {
                                return TxDb.update(writer, "INSERT INTO src VALUES (1000 + " + id + ", 'new')");
                            }
                        });
                        assertThat(write.join()).isEqualTo(1);
                    }
                }
            }
            report.commit();
        }
        assertThat(rows).as("the report's snapshot").isEqualTo(300);
        assertThat(TxDb.committed(file, "SELECT count(*) FROM src WHERE payload = 'new'")).isEqualTo(3);
    }
}
