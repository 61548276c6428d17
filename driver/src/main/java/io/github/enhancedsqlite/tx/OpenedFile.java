package io.github.enhancedsqlite.tx;

/** The database file as its connections opened it: whether the path still names that file. */
public interface OpenedFile {

    /** True when the path no longer names the file the connections have open (deleted, renamed, or replaced). */
    boolean replaced();

    /** The path the connections opened the file by. */
    String path();
}
