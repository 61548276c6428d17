package io.github.enhancedsqlite.it.compress;

import java.nio.file.Path;
import java.sql.Connection;

/**
 * Child JVM of {@link DictionaryCrashTest}: imports rows in one transaction (which asks for a dictionary), says
 * "committed", then writes a row at a time and acknowledges each ("ack KEY") until it is killed — while the pool's
 * dictionary thread trains, commits the dictionary and moves the imported rows onto it.
 */
public final class ImportThenWriteMain {

    static final int IMPORTED = 400;

    private ImportThenWriteMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (Connection connection = CompressDb.open(file, DictionaryCrashTest.SETTINGS)) {
            CompressDb.execute(connection, CompressDb.MEMORY_SCHEMA);
            connection.setAutoCommit(false);
            for (int i = 0; i < IMPORTED; i++) {
                CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES (?, ?)", "k" + i,
                        CompressDb.hookRecord(i));
            }
            connection.commit();
            connection.setAutoCommit(true);
            System.out.println("committed");
            System.out.flush();
            for (int i = IMPORTED; ; i++) {
                CompressDb.update(connection, "INSERT INTO memory_entries (key, value) VALUES (?, ?)", "k" + i,
                        CompressDb.hookRecord(i));
                System.out.println("ack k" + i);
                System.out.flush();
            }
        }
    }
}
