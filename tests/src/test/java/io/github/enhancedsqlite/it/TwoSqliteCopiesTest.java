package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two copies of SQLite in one process (two web applications that each bring sqlite-jdbc) cannot lock each other out:
 * writing one file through both loses acknowledged writes. The second copy is refused while the first uses the file;
 * copies of the driver that share one sqlite-jdbc share one SQLite and both write. Real class loaders in a child JVM.
 */
class TwoSqliteCopiesTest {

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void createCounter() throws Exception {
        file = dir.resolve("shared.db");
        try (Connection plain = Db.plain(file)) {
            Db.execute(plain, "CREATE TABLE counter(n INTEGER NOT NULL)", "INSERT INTO counter VALUES (0)");
        }
    }

    @Test
    void aSecondCopyOfSqliteIsRefusedWhileTheFirstUsesTheFileAndWritesOnceItClosed() throws Exception {
        ChildJvm.Result child = ChildJvm.run(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=error"),
                ChildJvm.testClassPath(), TwoCopiesMain.class.getName(), Db.url(file, ""), "own-sqlite");

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output())
                .contains("second while the first holds: refused 08004 The database file")
                .contains("is open in this JVM through another copy of SQLite")
                .contains("second after the first closed: connected");
        try (Connection plain = Db.plain(file)) {
            assertThat(Db.queryLong(plain, "SELECT n FROM counter")).as("the first copy's write and the second's")
                    .isEqualTo(2);
        }
    }

    @Test
    void copiesOfTheDriverSharingOneSqliteJdbcWriteTheFileAtOnceWithoutLosingAWrite() throws Exception {
        int threads = 3;
        int writes = 200;
        ChildJvm.Result child = ChildJvm.run(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=error"),
                ChildJvm.testClassPath(), TwoCopiesMain.class.getName(), Db.url(file, ""), "shared-sqlite",
                Integer.toString(threads), Integer.toString(writes));

        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("written");
        try (Connection plain = Db.plain(file)) {
            assertThat(Db.queryLong(plain, "SELECT n FROM counter")).isEqualTo(2L * threads * writes);
        }
    }
}
