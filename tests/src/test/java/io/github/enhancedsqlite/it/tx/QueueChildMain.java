package io.github.enhancedsqlite.it.tx;

import io.github.enhancedsqlite.DatabaseMXBean;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.it.metrics.Figures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A process of {@link WriterQueueTest}. {@code hold}: opens a write transaction, says {@code holding}, commits when a
 * line arrives on standard input and says {@code committed}. {@code write}: starts one auto-commit write on a thread of
 * its own, says where that thread waits ({@code queued-in-kernel} once it is parked in the operating system's lock
 * call, or {@code busy-retrying} once it backs off after SQLITE_BUSY), then {@code written} with the database's busy
 * retry count when the write is done. {@code write-until-queued N}: says {@code writing}, writes in auto-commit
 * mode until N writes have waited in the kernel for another process's writers, then says {@code written}, how many
 * writes it made and the busy retry count. {@code write-after-line}: writes once, says {@code idle}, and when a line
 * arrives goes on as {@code write}.
 */
public final class QueueChildMain {

    private QueueChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path file = Path.of(args[1]);
        String mode = args[2];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        // the figures are read through JMX: with an MBean server up before the pool opens, the pool registers its
        // MXBean at once instead of a few seconds later (a child that writes soon after its start would miss it)
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
        try {
            run(url, file, mode, in, args);
        } catch (Exception | Error e) {
            say("failed " + e); // the test shows it instead of an ended stream
        }
    }

    private static void run(String url, Path file, String mode, BufferedReader in, String[] args) throws Exception {
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            if (mode.equals("hold")) {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    connection.setAutoCommit(false);
                    statement.executeUpdate("UPDATE counter SET n = n + 1");
                    say("holding");
                    in.readLine();
                    connection.commit();
                }
                say("committed");
                return;
            }
            try (Connection warm = dataSource.getConnection()) {
                warm.isValid(1);
            }
            if (mode.equals("write-until-queued")) {
                writeUntilQueued(dataSource, file, Integer.parseInt(args[3]));
                return;
            }
            if (mode.equals("write-after-line")) {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    statement.executeUpdate("UPDATE counter SET n = n + 1");
                }
                say("idle");
                in.readLine();
            }
            CompletableFuture<Integer> write = new CompletableFuture<>();
            Thread writer = new Thread(() -> {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    write.complete(statement.executeUpdate("UPDATE counter SET n = n + 1"));
                } catch (Exception e) {
                    write.completeExceptionally(e);
                }
            }, "queued-writer");
            writer.start();
            say(whereItWaits(writer, write));
            write.get();
            DatabaseMXBean figures = Figures.of(file);
            say("written busyRetries=" + figures.getBusyRetries());
        }
    }

    /**
     * {@code write-until-queued N}: auto-commit writes one after another until N of them have waited in the kernel for
     * another process's writers; says {@code writing} first, then the writes made and the busy retries.
     */
    private static void writeUntilQueued(EnhancedSqliteDataSource dataSource, Path file, int queued) throws Exception {
        DatabaseMXBean figures = Figures.of(file);
        say("writing");
        long writes = 0;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            while (figures.getProcessWriterWaits() < queued) {
                statement.executeUpdate("UPDATE counter SET n = n + 1");
                writes++;
            }
        }
        say("written " + writes + " busyRetries=" + figures.getBusyRetries());
    }

    /** Looks at the writer thread's stack until it waits somewhere telling (a hang guard bounds it). */
    static String whereItWaits(Thread writer, CompletableFuture<Integer> write) {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < giveUp && !write.isDone()) {
            String stack = Arrays.toString(writer.getStackTrace());
            if (stack.contains("FileChannelImpl.lock")) {
                return "queued-in-kernel";
            }
            if (stack.contains("BusyRetry") && writer.getState() == Thread.State.TIMED_WAITING) {
                return "busy-retrying";
            }
            Thread.onSpinWait();
        }
        return write.isDone() ? "not-waiting" : "unknown";
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
