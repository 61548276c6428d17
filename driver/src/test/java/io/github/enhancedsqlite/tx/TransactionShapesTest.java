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
    void aStatementIsLearnedByItsSqlAloneUntilItsTransactionsConflictOften() {
        TransactionShapes shapes = new TransactionShapes();
        shapes.ended(READ, false);
        shapes.conflicted(READ);
        assertThat(shapes.keyOf(READ)).as("one conflict").isEqualTo(READ);
        shapes.conflicted(READ);

        String[] edits = new String[2];
        for (int i = 0; i < edits.length; i++) {
            edits[i] = editPathKey(shapes);
        }
        String view = viewPathKey(shapes);
        assertThat(edits[1]).as("the same path, the same key").isEqualTo(edits[0]);
        assertThat(view).as("another path, another key").isNotEqualTo(edits[0]).startsWith(READ);
        assertThat(shapes.beginsAsWriter(view)).as("a path never seen begins a writer").isTrue();

        shapes.ended(view, false);
        shapes.ended(edits[0], true);
        assertThat(shapes.beginsAsWriter(view)).as("the view path only read").isFalse();
        assertThat(shapes.beginsAsWriter(edits[0])).as("the edit path wrote").isTrue();
    }

    @Test
    void rareConflictsLeaveAStatementLearnedByItsSqlAlone() {
        TransactionShapes shapes = new TransactionShapes();
        shapes.ended(READ, false);
        for (int conflict = 0; conflict < 100; conflict++) {
            shapes.conflicted(READ);
            for (int transaction = 0; transaction < 500; transaction++) {
                shapes.ended(READ, false);
            }
        }
        assertThat(shapes.keyOf(READ)).as("a conflict in 500 transactions").isEqualTo(READ);
    }

    @Test
    void pathsThatLookAlikeInTheirInnermostFramesAreToldApartByMoreOnceOneConflicts() {
        TransactionShapes shapes = new TransactionShapes();
        shapes.ended(READ, false);
        shapes.conflicted(READ);
        shapes.conflicted(READ);
        String inFlight = deepViewKey(shapes);
        assertThat(deepEditKey(shapes)).as("the two paths part deeper than the frames looked at").isEqualTo(inFlight);

        shapes.conflicted(deepEditKey(shapes));
        assertThat(deepEditKey(shapes)).as("one conflict of the path").isEqualTo(deepViewKey(shapes));
        shapes.conflicted(deepEditKey(shapes));
        assertThat(deepEditKey(shapes)).isNotEqualTo(deepViewKey(shapes))
                .contains("\u0000" + 2 * TransactionShapes.FIRST_PATH_FRAMES + ":");
        shapes.conflicted(inFlight); // a transaction in flight under the same old key changes nothing more
        assertThat(deepViewKey(shapes)).contains("\u0000" + 2 * TransactionShapes.FIRST_PATH_FRAMES + ":");
    }

    private static String deepEditKey(TransactionShapes shapes) {
        return keyBeneath(TransactionShapes.FIRST_PATH_FRAMES, shapes);
    }

    private static String deepViewKey(TransactionShapes shapes) {
        return keyBeneath(TransactionShapes.FIRST_PATH_FRAMES, shapes);
    }

    /** The key taken {@code frames} calls deep: the innermost frames are the same whoever called this. */
    private static String keyBeneath(int frames, TransactionShapes shapes) {
        return frames == 0 ? shapes.keyOf(READ) : keyBeneath(frames - 1, shapes);
    }

    private static String editPathKey(TransactionShapes shapes) {
        return shapes.keyOf(READ);
    }

    private static String viewPathKey(TransactionShapes shapes) {
        return shapes.keyOf(READ);
    }

    @Test
    void noStatementToLearnFromBeginsAWriter() {
        assertThat(new TransactionShapes().beginsAsWriter(null)).isTrue();
    }
}
