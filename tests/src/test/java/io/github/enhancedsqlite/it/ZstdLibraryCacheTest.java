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
import java.util.Map;
import java.util.stream.Stream;
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
        assertThat(filesIn(cache)).filteredOn(file -> file.getFileName().toString().startsWith("libzstd"))
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
        assertThat(filesIn(cache)).isEmpty();
    }

    private ChildJvm.Result hook() throws Exception {
        ChildJvm.Result child = ChildJvm.run(Map.of("XDG_CACHE_HOME", cacheHome.toString()),
                List.of("-Djava.io.tmpdir=" + temporary), ChildJvm.testClassPath(), NativeLibrariesMain.class.getName(),
                dir.resolve("hook.db").toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("read-back=true", "stored-as=blob");
        return child;
    }

    /** The one file the child mapped zstd's library from. */
    private static Path loadedFrom(ChildJvm.Result child) {
        List<String> files = child.output().lines().filter(line -> line.startsWith("zstd-library="))
                .map(line -> line.substring("zstd-library=".length())).toList();
        assertThat(files).as(child.output()).hasSize(1);
        return Path.of(files.get(0));
    }

    private static byte[] libraryInJar() throws Exception {
        String resource = "/linux/" + System.getProperty("os.arch") + "/libzstd-jni-" + ZstdVersion.VERSION + ".so";
        try (InputStream in = Native.class.getResourceAsStream(resource)) {
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
