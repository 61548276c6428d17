package io.github.enhancedsqlite.tx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the first statement of a transaction decides whether it begins as a reader or a writer. */
class TransactionShapesTest {

    private static final String READ = "SELECT n FROM counter WHERE id = ?";

    @Test
    void aStatementNeverSeenBeginsAWriterUntilItsFirstTransactionEnds() {
        TransactionShapes shapes = new TransactionShapes();
        assertThat(shapes.beginsAsWriter(READ)).isTrue();
        shapes.ended(READ, false);
        assertThat(shapes.beginsAsWriter(READ)).as("its first transaction only read").isFalse();
    }

    @Test
    void aStatementWhoseFirstTransactionWroteStaysAWriterUntilMostOfItsTransactionsOnlyRead() {
        TransactionShapes shapes = new TransactionShapes();
        shapes.ended(READ, true);
        int readOnly = 0;
        while (shapes.beginsAsWriter(READ)) {
            shapes.ended(READ, false);
            readOnly++;
        }
        assertThat(readOnly).as("read-only transactions until the share of writers falls below a half").isEqualTo(6);
    }

    @Test
    void aConflictMakesAReaderStatementBeginWritersAgain() {
        TransactionShapes shapes = new TransactionShapes();
        shapes.ended(READ, false);
        shapes.conflicted(READ);
        assertThat(shapes.beginsAsWriter(READ)).isTrue();
    }

    @Test
    void noStatementToLearnFromBeginsAWriter() {
        assertThat(new TransactionShapes().beginsAsWriter(null)).isTrue();
    }
}
