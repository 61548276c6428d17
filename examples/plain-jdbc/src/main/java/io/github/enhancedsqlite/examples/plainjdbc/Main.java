package io.github.enhancedsqlite.examples.plainjdbc;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs the same {@link NoteStore} twice: before, on {@code jdbc:sqlite:}; after, on {@code jdbc:enhanced-sqlite:}
 * with compression on. The only line that differs between the two is the URL.
 *
 * <p>Usage: {@code java -jar examples/plain-jdbc/target/plain-jdbc.jar [directory]} (default: a new temporary
 * directory); the two database files are left there.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("plain-jdbc-example");
        Files.createDirectories(dir);
        try {
            run("jdbc:sqlite:" + dir.resolve("before.db"), dir.resolve("before.db"), System.out);
            // The swap: the prefix, plus compress=auto while compression is opt-in.
            run("jdbc:enhanced-sqlite:" + dir.resolve("after.db") + "?compress=auto", dir.resolve("after.db"),
                    System.out);
        } finally {
            // Closes the enhanced driver's pools: WAL checkpointed, no -wal/-shm file left next to after.db.
            EnhancedSqlite.shutdown();
        }
    }

    static void run(String url, Path file, PrintStream out) throws SQLException {
        NoteStore store = new NoteStore(url);
        store.createSchema();
        long id = store.add("session log", SampleDocument.json(60));
        store.rename(id, "session log (reviewed)");
        store.addAll(List.of(new NoteStore.Draft("todo", "write the README section"),
                new NoteStore.Draft("done", "swap the JDBC URL")));
        StoredForm stored = StoredForm.of(file.toString(), id);
        out.printf("%s%n", url);
        out.printf("  note %d: %s, body %d characters, found again by LIKE: %s%n", id,
                store.find(id).orElseThrow().title(), store.find(id).orElseThrow().body().length(),
                !store.search("reformatted").isEmpty());
        out.printf("  body stored as %s of %d bytes%s%n", stored.storageClass(), stored.bytes().length,
                stored.compressed() ? " (zstd envelope)" : "");
        try {
            out.printf("  read-only summary: %s%n", store.summary());
        } catch (SQLException e) {
            out.printf("  read-only summary failed: %s%n", e.getMessage());
        }
    }
}
