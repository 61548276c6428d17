package io.github.enhancedsqlite.it.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A separate process that keeps writing until a stop file appears: each transaction appends one ledger row and
 * raises the running total by the same amount, so in any consistent state count(ledger) = totals.entries and
 * sum(ledger.amount) = totals.amount. Prints "writing" once its first transaction committed.
 */
public final class LedgerWriterMain {

    private LedgerWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        Path stop = Path.of(args[1]);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout=10000");
            connection.setAutoCommit(false);
            for (long i = 1; ; i++) {
                long amount = i % 7 + 1;
                statement.execute("INSERT INTO ledger(amount, note) VALUES (" + amount + ", printf('%.300c', 'n'))");
                statement.execute("UPDATE totals SET entries = entries + 1, amount = amount + " + amount);
                connection.commit();
                if (i == 1) {
                    System.out.println("writing");
                    System.out.flush();
                }
                if (i % 16 == 0 && Files.exists(stop)) {
                    System.out.println("wrote " + i);
                    return;
                }
            }
        }
    }
}
