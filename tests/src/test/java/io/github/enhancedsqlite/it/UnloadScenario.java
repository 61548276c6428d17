package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;

/**
 * What a web application does with the driver, run by {@link UnloadDriverMain} inside a class loader of its own (as
 * an application server loads a web application's jars): open a pool, write compressed values until a dictionary
 * is trained and read them back, run a transaction with a timeout and a query timeout, then undeploy: shutdown,
 * and deregister the JDBC drivers this class loader brought, as Tomcat does for a web application.
 */
public final class UnloadScenario {

    private UnloadScenario() {
    }

    public static void open(String database) throws SQLException {
        String url = "jdbc:enhanced-sqlite:" + database
                + "?transactionTimeout=60000&compressDictionarySamples=20&maintenanceInterval=1000";
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO docs(body) VALUES (?)")) {
                for (int i = 0; i < 24; i++) { // the 21st auto-commit write trains the column's dictionary
                    insert.setString(1, "{\"note\":\"entry " + i + "\",\"session\":\"" + Integer.toHexString(i * 7919) + "\",\"tags\":[\"alpha\",\"beta\"],\"text\":\"" + "the agent remembered step ".repeat(i % 5 + 10) + "\"}");
                    insert.executeUpdate();
                }
            }
            connection.setAutoCommit(false);
            statement.setQueryTimeout(30);
            statement.execute("INSERT INTO docs(body) VALUES ('in a transaction')");
            try (ResultSet rows = statement.executeQuery("SELECT body FROM docs ORDER BY id")) {
                while (rows.next()) {
                    rows.getString(1);
                }
            }
            connection.commit();
        }
    }

    public static void shutdown() throws SQLException {
        EnhancedSqlite.shutdown();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == UnloadScenario.class.getClassLoader()) {
                DriverManager.deregisterDriver(driver);
            }
        }
    }
}
