package io.github.enhancedsqlite.tx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which reads can be run again with the same result when nothing in the database changed. */
class ReadLogTest {

    @Test
    void queriesOverTheDatabaseAreRepeatable() {
        assertThat(ReadLog.whyNotRepeatable("SELECT n FROM counter WHERE id = ?")).isNull();
        assertThat(ReadLog.whyNotRepeatable("WITH x AS (SELECT 1) SELECT * FROM x")).isNull();
        assertThat(ReadLog.whyNotRepeatable("VALUES (1)")).isNull();
        assertThat(ReadLog.whyNotRepeatable("SELECT date, time AS \"random\" FROM t WHERE now = 'random()'"))
                .as("names and strings that spell clock functions are not calls").isNull();
    }

    @Test
    void theClockRandomnessAndConnectionStateAreNot() {
        assertThat(ReadLog.whyNotRepeatable("SELECT random()")).contains("random()");
        assertThat(ReadLog.whyNotRepeatable("select DateTime ('now')")).contains("DateTime()");
        assertThat(ReadLog.whyNotRepeatable("SELECT n FROM t WHERE d > CURRENT_TIMESTAMP")).contains("CURRENT_TIMESTAMP");
        assertThat(ReadLog.whyNotRepeatable("SELECT last_insert_rowid()")).isNotNull();
        assertThat(ReadLog.whyNotRepeatable("SELECT changes() /* a comment */")).isNotNull();
    }

    @Test
    void statementsThatAreNotQueriesAreNot() {
        assertThat(ReadLog.whyNotRepeatable("PRAGMA data_version")).contains("not a query");
    }

    @Test
    void tooManyReadsMakeTheCheckFail() {
        ReadLog log = new ReadLog();
        for (int i = 0; i <= 1_000; i++) {
            log.add("SELECT 1", null, null);
        }
        assertThat(log.notRepeatable()).contains("more than 1000 reads");
        log.clear();
        assertThat(log.notRepeatable()).isNull();
    }
}
