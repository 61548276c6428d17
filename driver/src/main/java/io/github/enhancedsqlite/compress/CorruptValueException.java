package io.github.enhancedsqlite.compress;

import java.sql.SQLDataException;

/** A stored envelope that cannot be decoded: wrong version, unknown dictionary, or a failed zstd checksum. */
public final class CorruptValueException extends SQLDataException {

    private static final long serialVersionUID = 1L;

    public CorruptValueException(String message, Throwable cause) {
        super(message, "22000", cause);
    }
}
