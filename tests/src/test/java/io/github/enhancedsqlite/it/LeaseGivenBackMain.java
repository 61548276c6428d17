package io.github.enhancedsqlite.it;

import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.jdbc.PhysicalConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Child JVM for {@link PoolLifecycleTest}: a pooled connection whose sqlite-jdbc connection is closed behind the
 * pool's back while it is idle, then borrowed again within HikariCP's validation bypass window (made long here with
 * HikariCP's own system property, so the borrow really reaches the wrapping). Prints one fact per line.
 */
public final class LeaseGivenBackMain {

    private LeaseGivenBackMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = Db.url(Path.of(args[0]), "maximumPoolSize=1&connectionTimeout=2000");
        PhysicalConnection physical;
        DatabaseMXBean figures;
        try (Connection first = DriverManager.getConnection(url)) {
            physical = first.unwrap(PhysicalConnection.class);
            figures = first.unwrap(DatabaseMXBean.class);
            Db.queryLong(first, "SELECT 1");
        }
        physical.unwrap(org.sqlite.SQLiteConnection.class).close(); // behind the pool's back, while idle
        System.out.println("closedUnderThePool=" + physical.isClosed());
        try (Connection second = DriverManager.getConnection(url)) {
            System.out.println("sameConnection=" + (second.unwrap(PhysicalConnection.class) == physical));
            System.out.println("query=" + Db.queryLong(second, "SELECT 42"));
            System.out.println("activeWhileLent=" + figures.getActiveConnections());
        }
        System.out.println("activeAfter=" + figures.getActiveConnections());
        System.out.println("total=" + figures.getTotalConnections());
        EnhancedSqlite.shutdown();
    }
}
