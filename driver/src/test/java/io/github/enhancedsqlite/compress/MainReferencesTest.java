package io.github.enhancedsqlite.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a statement names {@code main.t}, read by position, and the texts the escape hatch runs for it. */
class MainReferencesTest {

    @Test
    void onlyTheSchemaMainIsCutNeverAColumnOfATableOrAliasNamedMain() {
        assertThat(MainReferences.stripped("SELECT main.docs.id, main.key FROM main.docs AS main"
                + " JOIN main.\"docs\" d USING (body) WHERE 'main.docs' <> main.docs", Set.of("docs")))
                .isEqualTo("SELECT docs.id, main.key FROM docs AS main JOIN \"docs\" d USING (body)"
                        + " WHERE 'main.docs' <> main.docs");
    }

    @Test
    void targetsOfWritesAndInOperandsAreTables() {
        assertThat(MainReferences.in("UPDATE OR IGNORE main.docs SET n = 1 WHERE key IN main.keys"
                + " AND id IN (SELECT id FROM x, main.docs)", Set.of("docs", "keys")))
                .extracting(MainReferences.Reference::use)
                .containsExactly(MainReferences.Use.TARGET, MainReferences.Use.TABLE, MainReferences.Use.TABLE);
    }

    @Test
    void aPrivateCopyIsAliasedAsTheTableUnlessQualifiedNamesCouldMeetAnotherOfThatName() {
        String copy = "\"_enhanced_sqlite_main_docs\"";
        assertThat(MainReferences.throughPrivateCopies("SELECT docs.id, docs.key FROM main.docs"
                + " INDEXED BY docs_n WHERE docs.id IN (SELECT id FROM docs)", Set.of("docs")))
                .isEqualTo("SELECT docs.id, docs.key FROM " + copy + " AS docs INDEXED BY"
                        + " \"_enhanced_sqlite_main_docs_n\" WHERE docs.id IN (SELECT id FROM docs)");
        assertThat(MainReferences.throughPrivateCopies("SELECT main.docs.id, temp.docs.key FROM main.docs"
                + " JOIN temp.docs USING (body)", Set.of("docs")))
                .isEqualTo("SELECT " + copy + ".id, temp.docs.key FROM " + copy + " JOIN temp.docs USING (body)");
        assertThat(MainReferences.throughPrivateCopies("DELETE FROM main.docs WHERE id IN (SELECT d.id FROM"
                + " main.docs d)", Set.of("docs")))
                .isEqualTo("DELETE FROM main.docs WHERE id IN (SELECT d.id FROM " + copy + " d)");
    }

    @Test
    void aChangedResultExpressionKeepsItsNameAndAColumnOrAnAliasKeepsItsOwn() {
        assertThat(MainReferences.stripped("SELECT length(main.docs.body), main.docs.id, upper(main.docs.key) k"
                + " FROM main.docs", Set.of("docs")))
                .isEqualTo("SELECT length(docs.body) AS \"length(main.docs.body)\", docs.id, upper(docs.key) k"
                        + " FROM docs");
    }
}
