package io.github.enhancedsqlite.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    private static List<String> tokens(String sql) {
        List<String> tokens = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        while (lexer.next() != SqlLexer.Kind.END) {
            tokens.add(lexer.kind() + ":" + lexer.text());
        }
        return tokens;
    }

    @Test
    void everyKindOfTokenIsReadAndCommentsAreSkipped() {
        assertThat(tokens("SELECT \"a\"\"b\", [c d], `e`, 'it''s', x'EC45', 1.5e-3, ?2, :p -- note\n"
                + "/* block */ FROM t WHERE a->>'$.x' <> @q"))
                .containsExactly("WORD:SELECT", "NAME:\"a\"\"b\"", "OPERATOR:,", "NAME:[c d]", "OPERATOR:,",
                        "NAME:`e`", "OPERATOR:,", "LITERAL:'it''s'", "OPERATOR:,", "LITERAL:x'EC45'", "OPERATOR:,",
                        "LITERAL:1.5e-3", "OPERATOR:,", "PARAMETER:?2", "OPERATOR:,", "PARAMETER::p", "WORD:FROM",
                        "WORD:t", "WORD:WHERE", "WORD:a", "OPERATOR:->>", "LITERAL:'$.x'", "OPERATOR:<>",
                        "PARAMETER:@q");
    }

    @Test
    void aQuotedNameIsReadWithoutItsQuotes() {
        SqlLexer lexer = new SqlLexer("\"a\"\"b\" [c d] body");
        lexer.next();
        assertThat(lexer.name()).isEqualTo("a\"b");
        lexer.next();
        assertThat(lexer.name()).isEqualTo("c d");
        assertThat(lexer.names("C D")).isTrue();
        lexer.next();
        assertThat(lexer.names("BODY")).isTrue();
        assertThat(lexer.isWord("body")).isTrue();
    }

    @Test
    void commentsBecomeOneSpaceAndQuotedTextIsKept() {
        assertThat(SqlLexer.withoutComments("a /* x */ 'b -- c' -- d\ne")).isEqualTo("a   'b -- c'  \ne");
        assertThat(SqlLexer.withoutComments("a /* open")).isEqualTo("a  ");
    }
}
