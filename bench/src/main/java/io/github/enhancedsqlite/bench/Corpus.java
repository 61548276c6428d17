package io.github.enhancedsqlite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the real agent-memory databases are (they are not part of the repository). Found the way the integration
 * tests find them, the system property {@value #PROPERTY}, or given as {@code --corpus=DIR}; otherwise
 * {@value #DEFAULT}, which is where they are seen from the repository root the runner is started in.
 */
record Corpus(Path directory, String origin) {

    static final String PROPERTY = "enhancedsqlite.corpus";
    static final String DEFAULT = "../shared/corpus";

    /** The directory named on the command line (may be null), else by the property, else the default. */
    static Corpus locate(String argument) {
        if (argument != null) {
            return new Corpus(Path.of(argument), "--corpus");
        }
        String property = System.getProperty(PROPERTY);
        if (property != null) {
            return new Corpus(Path.of(property), "-D" + PROPERTY);
        }
        return new Corpus(Path.of(DEFAULT), "default, relative to the working directory");
    }

    /** The {@code .db} files, by name; fails with what to do when there are none. */
    List<Path> databases() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("no corpus directory at " + directory.toAbsolutePath() + " (" + origin
                    + "): run from the repository root, or pass --corpus=DIR or -D" + PROPERTY + "=DIR");
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> databases = files.filter(path -> path.getFileName().toString().endsWith(".db")).sorted().toList();
            if (databases.isEmpty()) {
                throw new IOException("no .db file in the corpus directory " + directory.toAbsolutePath());
            }
            return databases;
        }
    }

    @Override
    public String toString() {
        return directory + " (" + origin + ")";
    }
}
