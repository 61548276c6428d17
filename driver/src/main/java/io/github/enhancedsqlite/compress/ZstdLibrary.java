package io.github.enhancedsqlite.compress;

import com.github.luben.zstd.util.Native;
import com.github.luben.zstd.util.ZstdVersion;
import io.github.enhancedsqlite.natives.LibraryCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * zstd-jni's native library, loaded once per JVM before any zstd-jni class is used. zstd-jni's own loader copies the
 * library out of its jar into a new temporary file at every start (a fresh random name, a deferred delete), which a
 * short-lived process pays on its first compressed value. Here it is loaded from the driver's per-user copy
 * ({@link LibraryCache}), made once. On any doubt — no copy, another class loader, a failed load — zstd-jni's own
 * loader runs, as it would without this class; a path the application gave zstd-jni ({@code ZstdNativePath}) is left
 * to zstd-jni too.
 */
final class ZstdLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(ZstdLibrary.class);

    private ZstdLibrary() {
    }

    /** Loads the library unless it is loaded; afterwards zstd-jni's classes may be used. Cheap after the first call. */
    static void load() {
        Loaded.once();
    }

    /** The JVM runs a class's initialiser once, other callers waiting for it: the load happens once, and is seen. */
    private static final class Loaded {
        static {
            loadOnce();
        }

        static void once() {
            // initialising this class did the work
        }
    }

    private static void loadOnce() {
        if (Native.isLoaded() || System.getProperty("ZstdNativePath") != null) {
            return; // loaded already, or the application chose the file: zstd-jni's business
        }
        if (Native.class.getClassLoader() == ZstdLibrary.class.getClassLoader()) {
            // a library is bound to the class loader of the class that loads it, and zstd-jni's native methods look
            // in their own class loader's libraries: only when both are the same can this class load it for them
            try {
                String resource = resourceName();
                Path cached = resource == null ? null : LibraryCache.copyOf(Native.class, resource,
                        "zstd's native library");
                if (cached != null) {
                    System.load(cached.toString());
                    Native.assumeLoaded();
                    return;
                }
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                LOG.debug("zstd's native library not loaded from the cache; zstd-jni loads it", e);
            }
        }
        Native.load();
    }

    /** zstd-jni's name for its library in its jar, as its own loader computes it; null where there is none. */
    private static String resourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(' ', '_');
        String arch = System.getProperty("os.arch");
        if (os.startsWith("win")) {
            return null;
        }
        String extension = "so";
        if (os.startsWith("mac")) {
            os = "darwin";
            extension = "dylib";
            arch = "amd64".equals(arch) ? "x86_64" : arch;
        }
        return "/" + os + "/" + arch + "/libzstd-jni-" + version() + "." + extension;
    }

    /** Read when run, not compiled in: the jar on the class path names its library after its own version. */
    private static String version() {
        try {
            return (String) ZstdVersion.class.getField("VERSION").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("zstd-jni has no version field", e);
        }
    }
}
