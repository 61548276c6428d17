package io.github.enhancedsqlite.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * An ordinary program on java.sql alone, for {@link QuietByDefaultTest}: opens a database, writes, reads, closes the
 * pool by deregistering the driver. With a second argument it runs a statement slower than its slowStatementThreshold
 * (1 ms), which is worth a warning.
 */
public final class QuietAppMain {

    private QuietAppMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean slow = args.length > 1 && args[1].equals("slow");
        String url = "jdbc:enhanced-sqlite:" + args[0] + (slow ? "?slowStatementThreshold=1" : "");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes(body) VALUES ('quiet')");
            String sql = slow
                    ? "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000) SELECT count(*) FROM n"
                    : "SELECT count(*) FROM notes";
            try (ResultSet r = s.executeQuery(sql)) {
                r.next();
                System.out.println("rows=" + r.getLong(1));
            }
        }
        DriverManager.deregisterDriver(DriverManager.getDriver(url));
        System.out.println("closed");
    }
}
