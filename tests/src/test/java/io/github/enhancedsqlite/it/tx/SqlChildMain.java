package io.github.enhancedsqlite.it.tx;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Another process on the test's database: runs each line of standard input as one auto-commit statement through the
 * driver and answers {@code ok <update count>} (or {@code error <message>}) once it has committed. It says
 * {@code ready} when its pool is open.
 */
public final class SqlChildMain {

    private SqlChildMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(args[0])) {
            try (Connection warm = dataSource.getConnection()) {
                warm.isValid(1);
            }
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String sql; (sql = in.readLine()) != null; ) {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    System.out.println("ok " + statement.executeUpdate(sql));
                } catch (Exception e) {
                    System.out.println("error " + e.getMessage().replace('\n', ' '));
                }
                System.out.flush();
            }
        }
    }
}
