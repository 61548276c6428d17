package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the profile's pragmas back from one connection of each side, so the report shows rather than assumes that
 * raw sqlite-jdbc was "given the same pragmas" as the enhanced driver.
 */
final class ProfileCheck {

    private static final String[] PRAGMAS = {
        "journal_mode", "synchronous", "cache_size", "mmap_size", "temp_store", "wal_autocheckpoint",
        "busy_timeout", "journal_size_limit",
    };

    private ProfileCheck() {
    }

    /** Rows of pragma, raw value, enhanced value, and whether they agree. */
    static List<ScenarioResult.Row> compare(Workspace workspace) throws Exception {
        Path raw = workspace.freshCopy("profile-check-raw");
        Path enhanced = workspace.freshCopy("profile-check-enhanced");
        List<ScenarioResult.Row> rows = new ArrayList<>();
        try (Connection rawConnection = DriverManager.getConnection(Workspace.rawUrl(raw));
                Connection enhancedConnection = DriverManager.getConnection(workspace.enhancedUrl(enhanced))) {
            for (String pragma : PRAGMAS) {
                String rawValue = read(rawConnection, pragma);
                String enhancedValue = read(enhancedConnection, pragma);
                rows.add(new ScenarioResult.Row(pragma, rawValue, enhancedValue,
                        rawValue.equalsIgnoreCase(enhancedValue) ? "same" : "DIFFERENT"));
            }
        }
        return rows;
    }

    private static String read(Connection connection, String pragma) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getString(1) : "(no value)";
        }
    }
}
