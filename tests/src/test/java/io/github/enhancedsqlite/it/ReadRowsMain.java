package io.github.enhancedsqlite.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Child JVM for {@link ReadOnlyDatabaseTest}: opens the URL it is given, prints how many rows table {@code t} holds,
 * and ends; what the driver logged on the way is the test's to read (this JVM's logging is set by its options).
 */
public final class ReadRowsMain {

    private ReadRowsMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0]);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
            rows.next();
            System.out.println("rows=" + rows.getLong(1));
        }
    }
}
