package io.github.enhancedsqlite.demo;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.io.PrintStream;

/**
 * {@code java -jar enhanced-sqlite-demo.jar [--seconds N] [--threads N] ...}: runs the comparison and prints
 * the report. Exit status 0 when the enhanced driver kept its promises, 1 when it did not or the demo failed,
 * 2 for a bad command line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            if (e.getMessage() != null) {
                err.println(e.getMessage());
            }
            (e.getMessage() == null ? out : err).println(DemoOptions.USAGE);
            return e.getMessage() == null ? 0 : 2;
        }
        try {
            // Shutting the pools down is what an app does at exit; it is also what leaves no -wal/-shm behind.
            Demo.Outcome outcome = new Demo(options, () -> EnhancedSqlite.shutdown(), err).run();
            out.print(outcome.report());
            out.flush();
            return outcome.failedChecks().isEmpty() ? 0 : 1;
        } catch (Exception e) {
            // A newcomer's first run should end in a sentence, with the trace only for whoever reports it.
            err.println();
            err.println("demo failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  caused by: " + cause);
            }
            if (Boolean.getBoolean("demo.trace")) {
                e.printStackTrace(err);
            } else {
                err.println("(run with -Ddemo.trace=true for the stack trace)");
            }
            return 1;
        }
    }
}
