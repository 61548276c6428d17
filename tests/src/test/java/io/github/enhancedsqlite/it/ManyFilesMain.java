package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.DatabaseMXBean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Child JVM for {@link ManyFilesTest}, as a test suite uses the driver: a new database file per test, written,
 * read back, and left open (no shutdown), the directory often deleted behind it.
 * <ul>
 * <li>{@code files <dir> <count>}: uses that many files in turn, then prints the descriptors this process has
 * open ({@code fds=}); run under a low {@code ulimit -n}.</li>
 * <li>{@code delete-and-exit <dir> <count>}: uses the files, holds a connection to the last, deletes the whole
 * directory, and calls System.exit: the exit must close every pool without recreating anything there.</li>
 * <li>{@code shrink <dir>}: borrows four connections at once from one pool, returns them, and waits until the pool
 * is back to one connection ({@code shrunk=}).</li>
 * </ul>
 */
public final class ManyFilesMain {

    private ManyFilesMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "files" -> {
                useFiles(dir, Integer.parseInt(args[2]));
                System.out.println("fds=" + openDescriptors(null));
                System.out.println("database-fds=" + openDescriptors(dir));
            }
            case "delete-and-exit" -> {
                useFiles(dir, Integer.parseInt(args[2]));
                Connection held = DriverManager.getConnection(Db.url(dir.resolve("file-0.db"), "maxIdlePools=1000"));
                deleteTree(dir);
                System.out.println("deleted, held open=" + !held.isClosed());
                System.exit(0);
            }
            case "shrink" -> shrink(dir.resolve("shrink.db"));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void useFiles(Path dir, int count) throws Exception {
        String query = count > 100 ? "" : "maxIdlePools=1000"; // the exit case keeps every pool open
        for (int i = 0; i < count; i++) {
            try (Connection connection = DriverManager.getConnection(Db.url(dir.resolve("file-" + i + ".db"), query))) {
                Db.execute(connection, "CREATE TABLE IF NOT EXISTS memory_entries(key TEXT PRIMARY KEY, value TEXT)");
                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO memory_entries VALUES (?, ?)"
                        + " ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                    upsert.setString(1, "key-" + i);
                    upsert.setString(2, "{\"n\":" + i + "}");
                    upsert.executeUpdate();
                }
                try (PreparedStatement read = connection.prepareStatement(
                        "SELECT value FROM memory_entries WHERE key = ?")) {
                    read.setString(1, "key-" + i);
                    try (ResultSet row = read.executeQuery()) {
                        if (!row.next() || !row.getString(1).equals("{\"n\":" + i + "}")) {
                            throw new AssertionError("file " + i + " did not read back its value");
                        }
                    }
                }
            }
        }
    }

    private static void shrink(Path file) throws Exception {
        String url = Db.url(file, "maximumPoolSize=4");
        List<Connection> held = new ArrayList<>();
        DatabaseMXBean figures;
        try {
            for (int i = 0; i < 4; i++) {
                held.add(DriverManager.getConnection(url));
            }
            figures = held.get(0).unwrap(DatabaseMXBean.class);
            System.out.println("grown=" + figures.getTotalConnections());
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (figures.getTotalConnections() > 1 && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // polling HikariCP's housekeeper's work
        }
        System.out.println("shrunk=" + figures.getTotalConnections());
    }

    /** Descriptors this process has open now (Linux), all or those of files under {@code under}. */
    private static long openDescriptors(Path under) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> under == null || target(fd).startsWith(under.toString())).count();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed since it was listed
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
