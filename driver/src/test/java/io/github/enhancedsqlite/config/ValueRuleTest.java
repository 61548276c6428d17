package io.github.enhancedsqlite.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueRuleTest {

    @Test
    void integersAreBoundedAndNormalised() {
        ValueRule rule = ValueRule.integer(-1, 100);

        assertThat(rule.canonical(" 042 ")).isEqualTo("42");
        assertThat(rule.canonical("-1")).isEqualTo("-1");
        assertThat(rule.canonical("101")).isNull();
        assertThat(rule.canonical("1.5")).isNull();
        assertThat(rule.canonical("1; DROP TABLE t")).isNull();
        assertThat(rule.canonical("")).isNull();
    }

    @Test
    void wordsMatchIgnoringCaseAndByTheirCode() {
        ValueRule rule = ValueRule.oneOf("DEFAULT", "FILE", "MEMORY");

        assertThat(rule.canonical("memory")).isEqualTo("MEMORY");
        assertThat(rule.canonical("2")).isEqualTo("MEMORY");
        assertThat(rule.canonical("3")).isNull();
        assertThat(rule.canonical("MEMORY; PRAGMA x")).isNull();
        assertThat(rule.sameValue("MEMORY", "2")).isTrue();
        assertThat(rule.sameValue("MEMORY", "1")).isFalse();
        assertThat(rule.sameValue("MEMORY", null)).isFalse();
    }

    @Test
    void namesOnlyRulesTakeNoCode() {
        ValueRule rule = ValueRule.names("delete", "wal");

        assertThat(rule.canonical(" WAL ")).isEqualTo("wal");
        assertThat(rule.canonical("1")).isNull();
    }

    @Test
    void textThatReachesAPragmaBecomesOneQuotedLiteral() {
        ValueRule encoding = ValueRule.quotedName("UTF-8", "UTF-16le");
        ValueRule directory = ValueRule.sqlStringOf("any", text -> !text.isEmpty());

        assertThat(encoding.canonical("utf-16LE")).isEqualTo("'UTF-16le'");
        assertThat(encoding.canonical("'UTF-8'")).isEqualTo("'UTF-8'");
        assertThat(encoding.canonical("UTF-8'; DROP TABLE t; --")).isNull();
        assertThat(directory.canonical("/tmp/it's")).isEqualTo("'/tmp/it''s'");
        assertThat(directory.canonical("'/tmp/x'")).isEqualTo("'/tmp/x'");
        assertThat(directory.canonical("x'; DROP TABLE t; --")).isEqualTo("'x''; DROP TABLE t; --'");
    }

    @Test
    void freeTextKeepsItsSpacesAndEitherRuleTakesTheFirstMatch() {
        assertThat(ValueRule.text("any", text -> true).canonical(" secret ")).isEqualTo(" secret ");
        ValueRule spill = ValueRule.anyOf(ValueRule.bool(), ValueRule.integer(0, 10));
        assertThat(spill.canonical("true")).isEqualTo("true");
        assertThat(spill.canonical("7")).isEqualTo("7");
        assertThat(spill.canonical("11")).isNull();
        assertThat(spill.accepted()).isEqualTo("one of false, true or an integer from 0 to 10");
    }

    @Test
    void powersOfTwoOnly() {
        ValueRule rule = ValueRule.powerOfTwo(512, 65536);

        assertThat(rule.canonical("4096")).isEqualTo("4096");
        assertThat(rule.canonical("4097")).isNull();
        assertThat(rule.canonical("256")).isNull();
    }

    @Test
    void pragmaReadBackComparesMeaningNotSpelling() {
        assertThat(Pragma.JOURNAL_MODE.took("wal", "wal")).isTrue();
        assertThat(Pragma.JOURNAL_MODE.took("wal", "memory")).isFalse();
        assertThat(Pragma.SYNCHRONOUS.took("NORMAL", "1")).isTrue();
        assertThat(Pragma.MMAP_SIZE.took("8589934592", "2147418112")).isFalse();
    }

    @Test
    void editDistanceFindsTypos() {
        assertThat(KnownKeys.editDistance("cahce_size", "cache_size")).isEqualTo(2);
        assertThat(KnownKeys.nearest("synchronus", false)).isEqualTo("synchronous");
        assertThat(KnownKeys.nearest("completely_unrelated_words", false)).isNull();
    }
}
