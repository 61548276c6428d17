package io.github.enhancedsqlite.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A hook process ({@link HookProcessMain}: a compressed value upserted and read back) that then prints which files
 * zstd's and SQLite's native libraries were mapped from, as the kernel sees it ({@code /proc/self/maps}): for
 * {@link ZstdLibraryCacheTest} and {@link SqliteLibraryCacheTest}.
 */
public final class NativeLibrariesMain {

    private NativeLibrariesMain() {
    }

    public static void main(String[] args) throws Exception {
        HookProcessMain.main(new String[] {args[0]});
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        print(maps, "libzstd-jni", "zstd-library=");
        print(maps, "libsqlitejdbc", "sqlite-library=");
    }

    private static void print(List<String> maps, String library, String label) {
        maps.stream()
                .filter(line -> line.contains(library))
                .map(line -> line.substring(line.indexOf('/')).replace(" (deleted)", "")) // a loader's copy is gone
                .distinct()
                .forEach(file -> System.out.println(label + file));
    }
}
