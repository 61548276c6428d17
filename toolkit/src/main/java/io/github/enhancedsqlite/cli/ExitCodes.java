package io.github.enhancedsqlite.cli;

/**
 * What every command's exit status means; README.md documents the same table. Scripts rely on these numbers,
 * so they never change meaning.
 */
final class ExitCodes {

    /** The command did what it was asked and found nothing wrong. */
    static final int OK = 0;
    /** The command ran and found problems in the database (verify, or the verification step of migrate/export). */
    static final int PROBLEMS = 1;
    /** The command line was wrong: unknown command or option, missing or invalid argument. */
    static final int USAGE = 2;
    /** A file could not be used: missing, not a SQLite database, corrupt, unreadable, or its location not writable. */
    static final int FILE = 3;
    /** The command refused because going on would not be safe (database in use, no backup to restore, ...). */
    static final int REFUSED = 4;
    /** Anything else failed; the message says what. */
    static final int FAILED = 5;

    private ExitCodes() {
    }
}
