package db.migration;

import io.github.enhancedsqlite.examples.flyway.SampleDocument;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A Java migration: it writes through Flyway's connection, which is the driver's, so its long value is stored
 * compressed like any other value bound into INSERT ... VALUES. (A literal in a .sql migration, or a value copied
 * by INSERT ... SELECT, is stored as it is: the driver compresses bound values only.)
 */
public class V3__Welcome_task extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        long inbox;
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM projects WHERE name = ?")) {
            select.setString(1, "inbox");
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                inbox = rs.getLong(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO tasks (project_id, title, details) VALUES (?, ?, ?)")) {
            insert.setLong(1, inbox);
            insert.setString(2, "Read the welcome notes");
            insert.setString(3, SampleDocument.json(60));
            insert.executeUpdate();
        }
    }
}
