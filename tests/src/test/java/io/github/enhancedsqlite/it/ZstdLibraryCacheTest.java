package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.util.Native;
import com.github.luben.zstd.util.ZstdVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: zstd's native library is copied out of zstd-jni's jar once, into a per-user cache directory, and later
 * processes load that copy instead of copying the library into a new temporary file at every start. Shown with real
 * child JVMs (their cache directory given as {@code XDG_CACHE_HOME}, their temporary directory their own), each
 * upserting a compressed value and reading it back, and the file the kernel mapped the library from.
 */
class ZstdLibraryCacheTest {

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
    void aSecondStartLoadsTheCopyTheFirstMadeWithoutCopyingAgain() throws Exception {
        Path first = loadedFrom(hook());
        assertThat(first.getParent()).isEqualTo(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(first)).isEqualTo(libraryInJar());
        BasicFileAttributes made = Files.readAttributes(first, BasicFileAttributes.class);

        Path second = loadedFrom(hook());

        assertThat(second).isEqualTo(first);
        BasicFileAttributes after = Files.readAttributes(second, BasicFileAttributes.class);
        assertThat(after.fileKey()).as("the same file, not a new copy").isEqualTo(made.fileKey());
        assertThat(after.lastModifiedTime()).isEqualTo(made.lastModifiedTime());
        assertThat(CachedLibraryRuns.filesIn(cache)).filteredOn(file -> file.getFileName().toString().startsWith("libzstd"))
                .containsExactly(first);
    }

    @Test
    void aChangedCopyIsNotLoadedAndIsReplacedAtTheNextStart() throws Exception {
        Path copy = loadedFrom(hook());
        byte[] bytes = Files.readAllBytes(copy);
        bytes[bytes.length / 2] ^= 0x5A; // same size, different content
        Files.write(copy, bytes);

        ChildJvm.Result tampered = hook();

        assertThat(loadedFrom(tampered)).as("zstd-jni's own temporary copy").startsWithRaw(temporary);
        assertThat(tampered.output()).contains("does not match the library in");
        assertThat(copy).doesNotExist();

        assertThat(loadedFrom(hook())).isEqualTo(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(libraryInJar());
    }

    @Test
    void aDirectoryOthersMayWriteIsNotUsed() throws Exception {
        Files.createDirectory(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx")); // whatever the umask

        assertThat(loadedFrom(hook())).startsWithRaw(temporary);
        assertThat(CachedLibraryRuns.filesIn(cache)).isEmpty();
    }

    private ChildJvm.Result hook() throws Exception {
        return runs.hook();
    }

    private static Path loadedFrom(ChildJvm.Result child) {
        return CachedLibraryRuns.loadedFrom(child, "zstd-library=");
    }

    private static byte[] libraryInJar() throws Exception {
        String resource = "/linux/" + System.getProperty("os.arch") + "/libzstd-jni-" + ZstdVersion.VERSION + ".so";
        try (InputStream in = Native.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }
}
