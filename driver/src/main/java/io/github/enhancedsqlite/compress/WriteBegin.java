package io.github.enhancedsqlite.compress;

import java.sql.SQLException;

/**
 * Begins a write transaction on the lease the driver's background work holds: the writer turn, then BEGIN IMMEDIATE.
 * That work writes through sqlite-jdbc's connection directly, which the driver's statement pipeline does not see, so
 * it cannot leave the choice to the lease's first statement (readers first would begin a reader).
 */
@FunctionalInterface
public interface WriteBegin {

    void begin() throws SQLException;
}
