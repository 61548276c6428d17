package io.github.enhancedsqlite.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hook process ({@link HookProcessMain}: a compressed value upserted and read back) that then prints which file
 * zstd's native library was mapped from, as the kernel sees it ({@code /proc/self/maps}): for
 * {@link ZstdLibraryCacheTest}.
 */
public final class ZstdLibraryMain {

    private ZstdLibraryMain() {
    }

    public static void main(String[] args) throws Exception {
        HookProcessMain.main(new String[] {args[0]});
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("libzstd-jni"))
                .map(line -> line.substring(line.indexOf('/')).replace(" (deleted)", "")) // zstd-jni's copy is gone
                .distinct()
                .forEach(file -> System.out.println("zstd-library=" + file));
    }
}
