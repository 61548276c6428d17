package io.github.enhancedsqlite.jdbc;

/**
 * Lets a checked exception pass a method that cannot declare it: sqlite-jdbc declares some JDBC methods without
 * {@code throws SQLException} in the classes the wrappers extend (so that its helpers and casts accept them), and an
 * override may not add the clause. The caller, holding the JDBC interface, expects the error all the same.
 */
final class Unchecked {

    private Unchecked() {
    }

    /** Throws {@code error} as it is; declared to return one so a caller can write {@code throw as(…)}. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E as(Throwable error) throws E {
        throw (E) error;
    }
}
