package io.github.enhancedsqlite.it.tx;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process of {@link MultiProcessCounterTest}: {@code threads} threads each add 1 to the counter row
 * {@code increments} times, then it prints how many increments succeeded and how many errors the application
 * saw. It prints "ready" and waits for a line on stdin first, so all processes start writing together.
 *
 * <p>Modes: {@code inTransaction} (read, then write the read value + 1, through EnhancedSqlite.inTransaction),
 * {@code manual} (the same with plain setAutoCommit(false)/commit and no retry of its own), {@code autocommit}
 * ({@code UPDATE counter SET n = n + 1}).
 */
public final class CounterWorkerMain {

    private CounterWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String mode = args[1];
        int threads = Integer.parseInt(args[2]);
        int increments = Integer.parseInt(args[3]);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();

        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            try (Connection warm = dataSource.getConnection()) {
                warm.isValid(1); // the pool is open before the start signal
            }
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < increments; i++) {
                        try {
                            increment(dataSource, mode);
                            done.incrementAndGet();
                        } catch (SQLException | RuntimeException e) {
                            if (errors.incrementAndGet() <= 5) {
                                System.out.println("error: " + e);
                            }
                        }
                    }
                }, "worker-" + t);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        EnhancedSqlite.shutdown();
        System.out.println("done=" + done.get());
        System.out.println("errors=" + errors.get());
        System.out.flush();
    }

    private static void increment(EnhancedSqliteDataSource dataSource, String mode) throws SQLException {
        switch (mode) {
            case "inTransaction":
                EnhancedSqlite.inTransaction(dataSource, CounterWorkerMain::readThenWrite);
                break;
            case "manual":
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    readThenWrite(connection);
                    connection.commit();
                }
                break;
            case "autocommit":
                try (Connection connection = dataSource.getConnection();
                     PreparedStatement update = connection.prepareStatement("UPDATE counter SET n = n + 1 WHERE id = 1")) {
                    if (update.executeUpdate() != 1) {
                        throw new IllegalStateException("counter row missing");
                    }
                }
                break;
            default:
                throw new IllegalArgumentException(mode);
        }
    }

    private static Void readThenWrite(Connection connection) throws SQLException {
        long n;
        try (PreparedStatement read = connection.prepareStatement("SELECT n FROM counter WHERE id = 1");
             ResultSet result = read.executeQuery()) {
            if (!result.next()) {
                throw new IllegalStateException("counter row missing");
            }
            n = result.getLong(1);
        }
        try (PreparedStatement write = connection.prepareStatement("UPDATE counter SET n = ? WHERE id = 1")) {
            write.setLong(1, n + 1);
            write.executeUpdate();
        }
        return null;
    }
}
