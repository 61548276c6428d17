package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDriver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Child JVM for {@link DriverRegistrationTest}: deregistering the driver is global to a JVM, so it happens here.
 * Prints one fact per line as {@code key=value}; the test asserts on them.
 */
public final class DeregisterMain {

    private DeregisterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        String url = Db.url(database);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t(x)");
            statement.execute("INSERT INTO t VALUES (1), (2), (3)");
        }
        System.out.println("openBefore=" + EnhancedSqlite.openDatabases());
        System.out.println("sidecarsBefore=" + Db.sidecars(database));

        DriverManager.deregisterDriver(EnhancedSqliteDriver.registered());
        System.out.println("openAfter=" + EnhancedSqlite.openDatabases());
        System.out.println("sidecarsAfter=" + Db.sidecars(database));
        System.out.println("driverAfter=" + driverFor(url));

        DriverManager.registerDriver(EnhancedSqliteDriver.registered());
        System.out.println("driverReregistered=" + driverFor(url));
        try (Connection connection = DriverManager.getConnection(url)) {
            System.out.println("rowsAfterReregister=" + Db.queryLong(connection, "SELECT count(*) FROM t"));
        }
        EnhancedSqlite.shutdown();
        System.out.println("sidecarsAtEnd=" + Db.sidecars(database));
    }

    private static String driverFor(String url) {
        try {
            Driver driver = DriverManager.getDriver(url);
            return driver.getClass().getSimpleName();
        } catch (SQLException e) {
            return "none";
        }
    }
}
