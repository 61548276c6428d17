package io.github.enhancedsqlite.it.compress;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * Child JVM of {@link PlainColumnsResidualsTest}: another process writing a long value into {@code docs.body}
 * through the driver with the settings given (compressed with the default ones), then closing its pool.
 * Arguments: file, settings, key, body.
 */
public final class WriteBodyMain {

    private WriteBodyMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = CompressDb.open(Path.of(args[0]), args[1])) {
            CompressDb.update(connection, "INSERT INTO docs (key, body) VALUES (?, ?)", args[2], args[3]);
        }
        EnhancedSqlite.shutdown();
        System.out.println("written");
    }
}
