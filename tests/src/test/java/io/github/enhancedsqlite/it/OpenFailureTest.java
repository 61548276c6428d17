package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.File;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 point 14: SQLITE_CANTOPEN, NOTADB and CORRUPT at open name the path and the likely cause, instead of
 * SQLite's bare "unable to open database file".
 */
class OpenFailureTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() throws Exception {
        EnhancedSqlite.shutdown();
        Process process = new ProcessBuilder("chattr", "-i", dir.toString()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path database = dir.resolve("no-such-dir").resolve("app.db");

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("directory " + dir.resolve("no-such-dir") + " does not exist");
        assertThat(EnhancedSqlite.openDatabases()).isEmpty();
    }

    @Test
    void aDirectoryIsNotADatabaseFile() throws Exception {
        Path database = Files.createDirectory(dir.resolve("folder.db"));

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("is a directory")
                // sqlite-jdbc's own text stays first and its exception class stays, for code that matches on them
                .hasMessageStartingWith("[SQLITE_CANTOPEN")
                .isInstanceOf(org.sqlite.SQLiteException.class);
    }

    @Test
    void aNameTooLongIsNamed() {
        Path database = dir.resolve("n".repeat(300) + ".db");

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("303 bytes long")
                .hasMessageContaining("255");
    }

    /** Root ignores permission bits, so the directory is made immutable: nothing may be created in it. */
    @Test
    void aFileThatCannotBeCreatedSaysWhy() throws Exception {
        Path database = dir.resolve("new.db");
        Process process = new ProcessBuilder("chattr", "+i", dir.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("chattr +i (needs chattr and root): " + output).isZero();

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("may not create files in " + dir);
    }

    /**
     * A database of another owner that this process may not read. Root reads every file, so the open runs in a child
     * JVM as the user nobody ({@code setpriv}, which needs root), on copies of the drop-in jar and of the one
     * application class, which that user can read.
     */
    @Test
    void aFileThisProcessMayNotReadSaysWhy() throws Exception {
        Path database = dir.resolve("private.db");
        try (Connection connection = Db.open(database)) {
            Db.execute(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY)");
        }
        EnhancedSqlite.shutdown();
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Path.of(System.getProperty("enhancedsqlite.allJar")), dir.resolve("all.jar"));
        Path classes = dir.resolve("classes");
        Path mainClass = classes.resolve(ReadRowsMain.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(mainClass.getParent());
        try (InputStream in = ReadRowsMain.class.getResourceAsStream(ReadRowsMain.class.getSimpleName() + ".class")) {
            Files.copy(in, mainClass);
        }
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(ChildJvm.javaCommand(List.of(), jar + File.pathSeparator + classes,
                ReadRowsMain.class.getName(), "jdbc:enhanced-sqlite:" + database));

        ChildJvm.Result child = ChildJvm.exec(command, null, 2);

        assertThat(child.exitCode()).as(child.output()).isNotZero();
        assertThat(child.output()).contains("SQLITE_CANTOPEN", database.toString(), "this process may not read it");
    }

    @Test
    void aTextFileIsNotADatabase() throws Exception {
        Path database = Files.writeString(dir.resolve("notes.db"), "hello, these are notes\n");

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("not an SQLite database")
                .hasMessageContaining("'hello, these are'");
        assertThat(Files.readString(database)).as("the file is left alone").isEqualTo("hello, these are notes\n");
    }

    @Test
    void aDamagedHeaderIsNamed() throws Exception {
        Path database = dir.resolve("damaged.db");
        try (Connection connection = Db.open(database, "profile=off")) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }
        EnhancedSqlite.shutdown();
        try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
            file.seek(16); // page size: 0x0003 is no power of two
            file.write(new byte[] {0, 3});
        }

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("header is damaged");
    }

    @Test
    void aCorruptSchemaIsNamed() throws Exception {
        Path database = dir.resolve("corrupt.db");
        try (Connection connection = Db.open(database, "profile=off")) {
            Db.execute(connection, "CREATE TABLE t(x)", "INSERT INTO t VALUES (1)");
        }
        EnhancedSqlite.shutdown();
        try (RandomAccessFile file = new RandomAccessFile(database.toFile(), "rw")) {
            file.seek(100); // the schema table's b-tree page header, right after the file header
            file.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        }

        assertThatThrownBy(() -> Db.open(database))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(database.toString())
                .hasMessageContaining("damaged");
    }
}
