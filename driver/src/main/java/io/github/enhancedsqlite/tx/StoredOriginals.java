package io.github.enhancedsqlite.tx;

/**
 * What the application is given for a BLOB a read returned in a result column its getters decode: the original of
 * an envelope. The reads of a reader are compared by what the application saw, so that a value only stored anew in
 * another form (re-encoded with a trained dictionary, by this process's background work or another's) is not taken
 * for a change.
 */
@FunctionalInterface
public interface StoredOriginals {

    /** The original of {@code stored} if it is an envelope that decodes, else {@code stored} itself. */
    Object original(byte[] stored);
}
