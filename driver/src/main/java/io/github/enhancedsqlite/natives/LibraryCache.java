package io.github.enhancedsqlite.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
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
 * One per-user directory where the native libraries of zstd-jni and sqlite-jdbc are copied once out of their jars, so
 * that later processes load those copies instead of copying each library into a new temporary file at every start:
 * <ul>
 * <li>the directory is {@value #DIRECTORY} under {@code $XDG_CACHE_HOME} (else {@code ~/.cache}; on macOS
 * {@code ~/Library/Caches}), created readable by its owner only, and used only while it is a real directory owned by
 * this user with no permission for anyone else;</li>
 * <li>a library's copy is named by its name in the jar, the size and the CRC-32 the jar records for it (read from the
 * jar's directory, without inflating the entry), and its bytes are checked against both before it is handed out (a
 * cryptographic digest of the library, computed in a JVM that has not compiled anything yet, costs more than the copy
 * it saves; what it would guard against is a writer with this user's rights, who could replace the jar just as
 * well);</li>
 * <li>on any doubt — no POSIX file system (Windows), an unusual directory, the library in no jar, a copy that does not
 * match (deleted, so the next start copies it again) — there is no copy, and the library's own loader runs as it
 * would without the driver.</li>
 * </ul>
 */
public final class LibraryCache {

    private static final Logger LOG = LoggerFactory.getLogger(LibraryCache.class);
    static final String DIRECTORY = "enhanced-sqlite-jdbc";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private LibraryCache() {
    }

    /**
     * The verified cached copy of a library in the jar of {@code owner} (copied there first if missing), or null when
     * in doubt.
     *
     * @param resource the library's resource name, absolute ({@code /…/libname.so})
     * @param what     the library, for the log
     */
    public static Path copyOf(Class<?> owner, String resource, String what) throws IOException {
        Path directory = directory();
        if (directory == null) {
            return null;
        }
        URL url = owner.getResource(resource);
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
                copy(file.getInputStream(entry), directory, library);
            }
            if (matches(library, entry)) {
                return library;
            }
            LOG.warn("The cached copy of {} {} does not match the library in {} and was deleted; its own loader"
                    + " loads it", what, library, file.getName());
            Files.deleteIfExists(library);
            return null;
        }
    }

    /**
     * A small note kept in the cache directory (what a library's own loader once decided, so later starts need not
     * decide again), or null when there is none or no usable directory.
     */
    public static String note(String name) throws IOException {
        Path directory = directory();
        if (directory == null) {
            return null;
        }
        Path note = directory.resolve(name);
        if (!Files.isRegularFile(note, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readString(note, StandardCharsets.UTF_8).strip();
    }

    /** Keeps a note (see {@link #note}), written whole or not at all; nothing when there is no usable directory. */
    public static void keepNote(String name, String text) throws IOException {
        Path directory = directory();
        if (directory != null) {
            copy(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), directory,
                    directory.resolve(name));
        }
    }

    /** The cache directory, judged once per JVM (both libraries and the note ask for it at start-up). */
    private static Path directory() throws IOException {
        return Judged.DIRECTORY;
    }

    /** The JVM runs a class's initialiser once: the directory is looked at once. */
    private static final class Judged {
        static final Path DIRECTORY = judge();

        private static Path judge() {
            try {
                return usableDirectory();
            } catch (IOException | RuntimeException e) {
                LOG.debug("No usable cache directory for the native libraries; they load without it", e);
                return null;
            }
        }
    }

    /** The cache directory, created owner-only if missing; null unless it is this user's alone. */
    private static Path usableDirectory() throws IOException {
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
            } catch (FileAlreadyExistsException e) {
                // another process made it at the same moment: judged below like any other
            }
        }
        PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory() || !ownedByThisUser(attributes) || !OWNER_ONLY_DIRECTORY.containsAll(
                attributes.permissions())) {
            LOG.debug("{} is not a directory of this user's alone; the native libraries load without it", directory);
            return null;
        }
        return directory;
    }

    private static boolean ownedByThisUser(PosixFileAttributes attributes) {
        return attributes.owner().getName().equals(System.getProperty("user.name"));
    }

    /** Copies the bytes into a temporary file beside the target, owner-only, and renames it into place. */
    private static void copy(InputStream bytes, Path directory, Path target) throws IOException {
        Path part = Files.createTempFile(directory, target.getFileName().toString(), ".part",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        try {
            try (InputStream in = bytes; OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            // atomic: a process starting at the same moment sees no file or a whole one
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
