package io.github.enhancedsqlite.exec;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.Envelope;
import java.sql.SQLException;

/**
 * Values as the JDBC layer meets them in a column that may hold compressed ones, for one connection: whether a
 * stored BLOB is an envelope, its original, and a raw BLOB that begins like one escaped on binding. Present with
 * compression off too, since such a pool still reads (and must not corrupt) a file that holds envelopes.
 */
public final class StoredValues {

    private final Codec codec;

    StoredValues(Codec codec) {
        this.codec = codec;
    }

    /**
     * Whether a stored value is an envelope (its original must be decoded).
     *
     * @param column the column it was read from
     */
    public boolean isEnvelope(byte[] stored, ColumnRef column) {
        return codec.isEnvelope(stored, column);
    }

    /** Whether a stored value is an envelope of a TEXT original. */
    public boolean holdsText(byte[] stored, ColumnRef column) {
        return Envelope.holdsText(stored) && codec.isEnvelope(stored, column);
    }

    /**
     * The original of an envelope: a String for TEXT, a byte[] for BLOB.
     *
     * @param where names the value in the error a damaged envelope raises
     */
    public Object decode(byte[] envelope, String where) throws SQLException {
        return codec.decode(envelope, where);
    }

    /** The form in which a raw BLOB is stored in a column that may hold envelopes; null to store it as it is. */
    public byte[] escapedForStorage(byte[] raw) {
        return Envelope.looksLikeEnvelope(raw) ? Envelope.escape(raw) : null;
    }

    /** The connection's codec, whose decoded copies' lookalike values ShadowTables records. */
    Codec codec() {
        return codec;
    }

    /** Frees the connection's zstd contexts. */
    void close() {
        codec.close();
    }
}
