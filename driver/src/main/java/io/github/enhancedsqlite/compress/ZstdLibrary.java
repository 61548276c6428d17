package io.github.enhancedsqlite.compress;

import com.github.luben.zstd.util.Native;
import com.github.luben.zstd.util.ZstdVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * zstd-jni's native library, loaded once per JVM before any zstd-jni class is used. zstd-jni's own loader copies the
 * library out of its jar into a new temporary file at every start (a fresh random name, a deferred delete), which a
 * short-lived process pays on its first compressed value. Here it is copied once into a per-user cache directory
 * and loaded from there by later processes:
 * <ul>
 * <li>the directory is {@value #DIRECTORY} under {@code $XDG_CACHE_HOME} (else {@code ~/.cache}; on macOS
 * {@code ~/Library/Caches}), created readable by its owner only, and used only while it is a real directory owned by
 * this user with no permission for anyone else;</li>
 * <li>the file is named by the version, the size and the CRC-32 of the library as the jar records them (read from
 * the jar's directory, without inflating the entry), and its bytes are checked against both before it is loaded
 * (a cryptographic digest of the library, computed in a JVM that has not compiled anything yet, costs more than
 * the copy it saves; what it would guard against is a writer with this user's rights, who could replace the jar
 * just as well);</li>
 * <li>on any doubt — no POSIX file system (Windows), an unusual directory, another class loader, the library in no
 * jar, a file that does not match (deleted, so the next start copies it again), a failed load — zstd-jni's own
 * loader runs, as it would without this class; a path the application gave zstd-jni ({@code ZstdNativePath}) is
 * left to zstd-jni too.</li>
 * </ul>
 */
final class ZstdLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(ZstdLibrary.class);
    static final String DIRECTORY = "enhanced-sqlite-jdbc";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

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
                Path cached = cached();
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

    /** The verified cached copy of the library (copied there first if missing), or null when in doubt. */
    private static Path cached() throws IOException {
        Path directory = directory();
        String resource = resourceName();
        if (directory == null || resource == null) {
            return null;
        }
        URL url = Native.class.getResource(resource);
        if (url == null) {
            return null;
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return null;
        }
        jar.setUseCaches(false); // a jar file of this connection's own, closed here
        try (JarFile file = jar.getJarFile()) {
            JarEntry entry = file.getJarEntry(jar.getEntryName());
            if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                return null;
            }
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            int dot = name.lastIndexOf('.');
            Path library = directory.resolve(name.substring(0, dot) + "-" + entry.getSize() + "-"
                    + Long.toHexString(entry.getCrc()) + name.substring(dot));
            if (!Files.exists(library, LinkOption.NOFOLLOW_LINKS)) {
                copy(file, entry, directory, library);
            }
            if (matches(library, entry)) {
                return library;
            }
            LOG.warn("The cached copy of zstd's native library {} does not match the library in {} and was deleted;"
                    + " zstd-jni loads the library itself", library, file.getName());
            Files.deleteIfExists(library);
            return null;
        }
    }

    /** The cache directory, created owner-only if missing; null unless it is this user's alone. */
    private static Path directory() throws IOException {
        String home = System.getProperty("user.home");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base;
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else if (home == null || home.isEmpty()) {
            return null;
        } else if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac")) {
            base = Path.of(home, "Library", "Caches");
        } else {
            base = Path.of(home, ".cache");
        }
        if (!base.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        Path directory = base.resolve(DIRECTORY);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(base);
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another process made it at the same moment: judged below like any other
            }
        }
        PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory() || !ownedByThisUser(attributes) || !OWNER_ONLY_DIRECTORY.containsAll(
                attributes.permissions())) {
            LOG.debug("{} is not a directory of this user's alone; zstd-jni loads its library itself", directory);
            return null;
        }
        return directory;
    }

    private static boolean ownedByThisUser(PosixFileAttributes attributes) {
        return attributes.owner().getName().equals(System.getProperty("user.name"));
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

    /** Copies the entry into a temporary file beside the library, owner-only, and renames it into place. */
    private static void copy(JarFile jar, JarEntry entry, Path directory, Path library) throws IOException {
        Path part = Files.createTempFile(directory, library.getFileName().toString(), ".part",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            try (InputStream in = jar.getInputStream(entry); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            // atomic: a process starting at the same moment sees no library or a whole one
            Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** The file is a regular file of this user's alone with the entry's size and CRC-32. */
    private static boolean matches(Path library, JarEntry entry) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(library, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile() || !ownedByThisUser(attributes)
                || !OWNER_ONLY_FILE.containsAll(attributes.permissions()) || attributes.size() != entry.getSize()) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(library));
        return crc.getValue() == entry.getCrc();
    }
}
