package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
    private CachedLibraryRuns runs;
    private Path cache;
    private Path temporary;

    @BeforeEach
    void directories() throws Exception {
        runs = new CachedLibraryRuns(dir);
        cache = runs.cache();
        temporary = runs.temporary();
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
        assertThat(CachedLibraryRuns.filesIn(temporary)).as("no copy in the temporary directory")
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
        assertThat(CachedLibraryRuns.filesIn(cache)).filteredOn(file -> file.getFileName().toString().contains("sqlite")).isEmpty();
    }

    private ChildJvm.Result hook(String... options) throws Exception {
        return runs.hook(options);
    }

    private static Path loadedFrom(ChildJvm.Result child) {
        return CachedLibraryRuns.loadedFrom(child, "sqlite-library=");
    }

    private static byte[] libraryInJar() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }
}
