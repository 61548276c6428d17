package io.github.enhancedsqlite;

import java.sql.SQLNonTransientConnectionException;

/**
 * A URL or property the driver cannot accept: an unknown key, a value of the wrong form, or settings that
 * contradict the ones a database is already open with. The message names what was wrong and what is accepted.
 * Nothing is opened or changed when it is thrown.
 */
public final class InvalidSettingException extends SQLNonTransientConnectionException {

    private static final long serialVersionUID = 1L;

    /** SQLState for "invalid attribute value", the closest standard class for a rejected setting. */
    public static final String SQL_STATE = "HY024";

    public InvalidSettingException(String message) {
        super(message, SQL_STATE);
    }
}
