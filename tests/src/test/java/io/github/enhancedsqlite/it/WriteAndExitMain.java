package io.github.enhancedsqlite.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Child JVM for {@link PoolLifecycleTest}: writes rows through the driver and ends without calling
 * EnhancedSqlite.shutdown(): by returning from main, by System.exit, or by System.exit with a connection still
 * open. The pools must still be closed.
 */
public final class WriteAndExitMain {

    private WriteAndExitMain() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        String ending = args[2];
        String url = Db.url(database);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        }
        for (int i = 0; i < rows; i++) {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO events(body) VALUES (?)")) {
                insert.setString(1, "event " + i);
                insert.executeUpdate();
            }
        }
        System.out.println("sidecars-while-open=" + Db.sidecars(database));
        switch (ending) {
            case "return" -> {
                // main returns; the JVM ends when no non-daemon thread is left
            }
            case "exit" -> System.exit(0);
            case "exit-with-open-connection" -> {
                // a connection never closed, as careless applications leave one: exit must still close the pool
                Connection leaked = DriverManager.getConnection(url);
                System.out.println("leaked-open=" + !leaked.isClosed());
                System.exit(0);
            }
            default -> throw new IllegalArgumentException(ending);
        }
    }
}
