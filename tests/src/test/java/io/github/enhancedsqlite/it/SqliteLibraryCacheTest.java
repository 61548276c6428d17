package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Issue 14 (a one-shot process's start): sqlite-jdbc's native library is copied out of its jar once, into the driver's
 * per-user cache directory, and later processes have sqlite-jdbc load that copy, where its own loader ran
 * {@code uname}, digested the library, copied it into a new temporary file and swept the temporary directory at every
 * start. Shown with real child JVMs (their cache directory given as {@code XDG_CACHE_HOME}, their temporary directory
 * their own) and the file the kernel mapped the library from.
 */
class SqliteLibraryCacheTest {

    @TempDir
    Path dir;
    private Path cacheHome;
    private Path temporary;
    private Path cache;

    @BeforeEach
    void directories() throws Exception {
        cacheHome = Files.createDirectory(dir.resolve("cache-home"));
        temporary = Files.createDirectory(dir.resolve("tmp"));
        cache = cacheHome.resolve("enhanced-sqlite-jdbc");
    }

    @Test
    void aSecondStartLoadsTheCopyTheFirstMadeAndAsksSqliteJdbcNothing() throws Exception {
        Path first = loadedFrom(hook());
        assertThat(first.getParent()).isEqualTo(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(first)).isEqualTo(libraryInJar());
        BasicFileAttributes made = Files.readAttributes(first, BasicFileAttributes.class);

        ChildJvm.Result secondStart = hook("-verbose:class");

        Path second = loadedFrom(secondStart);
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAttributes(second, BasicFileAttributes.class).fileKey())
                .as("the same file, not a new copy").isEqualTo(made.fileKey());
        assertThat(secondStart.output()).as("sqlite-jdbc's platform detection (it runs uname) was not needed")
                .doesNotContain("[class,load] org.sqlite.util.OSInfo ");
        assertThat(filesIn(temporary)).as("no copy in the temporary directory")
                .filteredOn(file -> file.getFileName().toString().contains("libsqlitejdbc")).isEmpty();
    }

    @Test
    void aChangedCopyIsNotLoadedAndIsReplacedAtTheNextStart() throws Exception {
        Path copy = loadedFrom(hook());
        byte[] bytes = Files.readAllBytes(copy);
        bytes[bytes.length / 2] ^= 0x5A; // same size, different content
        Files.write(copy, bytes);

        ChildJvm.Result tampered = hook();

        assertThat(loadedFrom(tampered)).as("sqlite-jdbc's own temporary copy").startsWithRaw(temporary);
        assertThat(tampered.output()).contains("does not match the library in");
        assertThat(copy).doesNotExist();

        assertThat(loadedFrom(hook())).isEqualTo(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(libraryInJar());
    }

    @Test
    void aLibraryTheApplicationNamesIsTheOneLoaded() throws Exception {
        Path own = Files.createDirectory(dir.resolve("own"));
        Path library = own.resolve("libsqlitejdbc-own.so");
        Files.write(library, libraryInJar());

        ChildJvm.Result child = hook("-Dorg.sqlite.lib.path=" + own, "-Dorg.sqlite.lib.name=libsqlitejdbc-own.so");

        assertThat(loadedFrom(child)).isEqualTo(library);
        assertThat(filesIn(cache)).filteredOn(file -> file.getFileName().toString().contains("sqlite")).isEmpty();
    }

    private ChildJvm.Result hook(String... options) throws Exception {
        List<String> jvmOptions = new ArrayList<>(List.of("-Djava.io.tmpdir=" + temporary));
        jvmOptions.addAll(List.of(options));
        ChildJvm.Result child = ChildJvm.run(Map.of("XDG_CACHE_HOME", cacheHome.toString()), jvmOptions,
                ChildJvm.testClassPath(), NativeLibrariesMain.class.getName(), dir.resolve("hook.db").toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("read-back=true", "stored-as=blob");
        return child;
    }

    /** The one file the child mapped SQLite's library from. */
    private static Path loadedFrom(ChildJvm.Result child) {
        List<String> files = child.output().lines().filter(line -> line.startsWith("sqlite-library="))
                .map(line -> line.substring("sqlite-library=".length())).toList();
        assertThat(files).as(child.output()).hasSize(1);
        return Path.of(files.get(0));
    }

    private static byte[] libraryInJar() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }

    private static List<Path> filesIn(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
