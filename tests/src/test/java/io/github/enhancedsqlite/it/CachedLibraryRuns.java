package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Hook processes ({@link NativeLibrariesMain}) in child JVMs with a cache home ({@code XDG_CACHE_HOME}) and a temporary
 * directory of their own, and the file the kernel mapped a native library from in each: for the tests of the
 * per-user library cache.
 */
final class CachedLibraryRuns {

    private final Path dir;
    private final Path cacheHome;
    private final Path temporary;

    CachedLibraryRuns(Path dir) throws IOException {
        this.dir = dir;
        this.cacheHome = Files.createDirectory(dir.resolve("cache-home"));
        this.temporary = Files.createDirectory(dir.resolve("tmp"));
    }

    /** The driver's cache directory under the cache home. */
    Path cache() {
        return cacheHome.resolve("enhanced-sqlite-jdbc");
    }

    /** The children's {@code java.io.tmpdir}, where the libraries' own loaders copy them. */
    Path temporary() {
        return temporary;
    }

    /** A hook process that upserts a compressed value and reads it back, with these JVM options added. */
    ChildJvm.Result hook(String... options) throws Exception {
        List<String> jvmOptions = new ArrayList<>(List.of("-Djava.io.tmpdir=" + temporary));
        jvmOptions.addAll(List.of(options));
        ChildJvm.Result child = ChildJvm.run(Map.of("XDG_CACHE_HOME", cacheHome.toString()), jvmOptions,
                ChildJvm.testClassPath(), NativeLibrariesMain.class.getName(), dir.resolve("hook.db").toString());
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output()).contains("read-back=true", "stored-as=blob");
        return child;
    }

    /** The one file the child mapped a library from, as {@link NativeLibrariesMain} printed it after the label. */
    static Path loadedFrom(ChildJvm.Result child, String label) {
        List<String> files = child.output().lines().filter(line -> line.startsWith(label))
                .map(line -> line.substring(label.length())).toList();
        assertThat(files).as(child.output()).hasSize(1);
        return Path.of(files.get(0));
    }

    static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
