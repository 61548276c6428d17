package io.github.enhancedsqlite.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A database file and the side files SQLite may leave next to it. Left-behind {@code -wal}/{@code -shm} files
 * are what users of agent-memory stores complain about: copy or commit the main file alone and data is missing.
 *
 * @param databaseBytes size of the main file
 * @param sideFiles     side files present, each as {@code -wal 12 KiB}
 */
record FileState(long databaseBytes, List<String> sideFiles) {

    private static final String[] SUFFIXES = {"-wal", "-shm", "-journal"};

    static FileState of(Path database) throws IOException {
        List<String> present = new ArrayList<>();
        for (String suffix : SUFFIXES) {
            Path side = Path.of(database + suffix);
            if (Files.exists(side)) {
                present.add(suffix + " " + Sizes.bytes(Files.size(side)));
            }
        }
        return new FileState(Files.exists(database) ? Files.size(database) : 0, List.copyOf(present));
    }

    boolean hasWalOrShm() {
        return sideFiles.stream().anyMatch(s -> s.startsWith("-wal") || s.startsWith("-shm"));
    }

    String sideFilesText() {
        return sideFiles.isEmpty() ? "none" : String.join(", ", sideFiles);
    }
}
