package io.github.enhancedsqlite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replicate", mixinStandardHelpOptions = true,
        description = {"Replicates a database continuously with Litestream: writes Litestream's configuration for DB "
                + "and REPLICA and runs `litestream replicate` in the foreground until SIGINT (Ctrl-C) or SIGTERM, "
                + "which stop it after its last sync.",
                "REPLICA is file:///dir, s3://bucket/path (--endpoint URL for an S3-compatible server; credentials "
                        + "from LITESTREAM_ACCESS_KEY_ID/LITESTREAM_SECRET_ACCESS_KEY or AWS_*) or "
                        + "sftp://user@host:port/path (--sftp-key FILE).",
                "Applications writing DB should connect with replication=litestream, so Litestream alone checkpoints."})
final class ReplicateCommand implements Callable<Integer> {

    /** How long a stop signal waits for Litestream's last sync before the process gives up on it. */
    private static final long STOP_WAIT_SECONDS = 60;
    /** How long a stop waits for a WAL segment Litestream is writing (a few milliseconds each). */
    private static final long SEGMENT_WAIT_MILLIS = 5_000;

    @Parameters(index = "0", paramLabel = "DB", description = "the SQLite database file to replicate")
    Path database;

    @Option(names = "--to", required = true, paramLabel = "REPLICA", description = "where the replica goes")
    String to;

    @Mixin
    LitestreamOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        DatabaseFile file = DatabaseFile.existing(database);
        Replica replica = options.replica(to);
        Litestream litestream = options.litestream();
        PrintWriter err = spec.commandLine().getErr();
        Path config = litestream.writeConfig(file.path(), replica);
        AtomicBoolean stopping = new AtomicBoolean();
        try {
            err.println("replicate: " + litestream.describe() + " replicating " + file.path() + " to " + replica.url()
                    + "; stop with Ctrl-C or SIGTERM");
            err.flush();
            Litestream.Running running = litestream.start("replicate", config, err);
            Thread stop = new Thread(() -> stopOnSignal(running, config, err, stopping), "replicate-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            int status = running.await();
            if (stopping.get()) {
                return ExitCodes.OK; // the JVM is exiting: the stop hook reports and decides the exit status
            }
            Runtime.getRuntime().removeShutdownHook(stop);
            throw new ToolException(ExitCodes.FAILED, "litestream replicate ended by itself with status " + status
                    + " (its output above says why)");
        } finally {
            if (!stopping.get()) {
                Litestream.discard(config);
            }
        }
    }

    /**
     * SIGINT or SIGTERM reached this JVM: pass SIGTERM on to Litestream, which syncs what it has not copied yet and
     * exits, then end with Litestream's verdict. Halting from the hook is what lets a clean stop exit 0 rather than
     * the 130/143 of a JVM ended by a signal; this process holds no database, so no other hook has work to do.
     */
    private static void stopOnSignal(Litestream.Running running, Path config, PrintWriter err, AtomicBoolean stopping) {
        stopping.set(true);
        err.println("replicate: stopping litestream (it syncs what it has not copied yet)");
        err.flush();
        int exitCode;
        try {
            running.awaitSegmentsWritten(SEGMENT_WAIT_MILLIS);
            // SIGTERM through the handle: Process.destroy() would also close our end of its output pipe, and
            // Litestream, logging its last sync, would die of SIGPIPE
            running.process().toHandle().destroy();
            if (running.process().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                running.output().join(TimeUnit.SECONDS.toMillis(5));
                int status = running.process().exitValue();
                if (status == 0) {
                    err.println("replicate: litestream stopped cleanly");
                    exitCode = ExitCodes.OK;
                } else if (running.stoppedByClosingBugOnly()) {
                    err.println("replicate: litestream stopped; its final sync went through, then its closing"
                            + " checkpoint failed on a context it had canceled itself (a Litestream v0.3 bug, fixed"
                            + " upstream); the WAL stays for its next start");
                    exitCode = ExitCodes.OK;
                } else {
                    err.println("replicate: litestream stopped with status " + status + " (its output above says why)");
                    exitCode = ExitCodes.FAILED;
                }
            } else {
                running.process().destroyForcibly();
                err.println("replicate: litestream did not stop within " + STOP_WAIT_SECONDS + " s and was killed");
                exitCode = ExitCodes.FAILED;
            }
        } catch (InterruptedException e) {
            exitCode = ExitCodes.FAILED;
        }
        err.flush();
        Litestream.discard(config);
        Runtime.getRuntime().halt(exitCode);
    }
}
