package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void commentsAreBlankedButQuotedTextIsKept() {
        String sql = "CREATE TABLE t (\n  id INTEGER PRIMARY KEY, -- embedding holds vectors\n"
                + "  embedding TEXT /* embedding: JSON array */,\n  note TEXT DEFAULT '-- not /* a comment',\n"
                + "  \"odd--name\" TEXT, [a/*b] TEXT)";
        String kept = Schema.withoutComments(sql);
        assertThat(kept).doesNotContain("holds vectors", "JSON array")
                .contains("'-- not /* a comment'", "\"odd--name\" TEXT", "[a/*b] TEXT");
        assertThat(Schema.mentions(sql, "embedding")).isEqualTo(3);
        assertThat(Schema.mentions(kept, "embedding")).isEqualTo(1);
    }

    @Test
    void anUnclosedCommentEndsTheText() {
        assertThat(Schema.withoutComments("CREATE TABLE t (a TEXT) /* trailing")).isEqualTo("CREATE TABLE t (a TEXT)  ");
        assertThat(Schema.withoutComments("CREATE TABLE t (a TEXT) -- trailing")).isEqualTo("CREATE TABLE t (a TEXT)  ");
    }
}
