package io.github.enhancedsqlite.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restores a database from a Litestream replica: runs `litestream restore` into OUT.partial, "
                + "makes it one self-contained file (rollback-journal mode), runs verify on it (integrity, foreign "
                + "keys, every compressed value decoded), then renames it to OUT. An existing OUT is never "
                + "overwritten; with problems found the copy stays at OUT.partial.",
                "REPLICA is file:///dir, s3://bucket/path (--endpoint URL for an S3-compatible server) or "
                        + "sftp://user@host:port/path (--sftp-key FILE). --timestamp restores that point in time.",
                "Open the copy read-only with jdbc:enhanced-sqlite:file:OUT?mode=ro."})
final class RestoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OUT", description = "the database file to create")
    Path target;

    @Option(names = "--from", required = true, paramLabel = "REPLICA", description = "the replica to restore")
    String from;

    @Option(names = "--timestamp", paramLabel = "ISO-8601",
            description = "restore the database as it was at this moment, e.g. 2026-01-31T12:00:00Z")
    String timestamp;

    @Mixin
    LitestreamOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, SQLException {
        Path out = DatabaseFile.newFile(target);
        Instant moment = timestamp == null ? null : moment(timestamp);
        Replica replica = options.replica(from);
        Litestream litestream = options.litestream();
        PrintWriter err = spec.commandLine().getErr();
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        removeUnfinished(partial, err);

        err.println("restore: " + litestream.describe() + " restoring " + replica.url()
                + (moment == null ? " (latest)" : " as of " + moment) + " into " + partial);
        err.flush();
        // Litestream looks the replica up by a database path in its configuration; OUT names it here.
        Path config = litestream.writeConfig(out, replica);
        int status;
        try {
            status = moment == null
                    ? litestream.start("restore", config, err, "-o", partial.toString(), out.toString()).await()
                    : litestream.start("restore", config, err, "-o", partial.toString(), "-timestamp",
                            moment.toString(), out.toString()).await();
        } finally {
            Litestream.discard(config);
        }
        if (status != 0 || !Files.exists(partial)) {
            removeUnfinished(partial, err);
            throw new ToolException(ExitCodes.FAILED, "litestream restore from " + replica.url() + " failed with status "
                    + status + " (its output above says why); nothing was written to " + out);
        }

        removeSidecars(partial.resolveSibling(partial.getFileName() + ".tmp"));
        DatabaseFile restored = DatabaseFile.existing(partial);
        err.println("restore: verifying " + partial);
        err.flush();
        Verification.Result result;
        try (Connection connection = restored.open(false)) {
            try (Statement statement = connection.createStatement()) {
                // one file, like a backup: a WAL database read-only needs its -shm, which a copy may not get
                statement.execute("PRAGMA journal_mode=DELETE");
            }
            result = Verification.run(connection, err);
        }
        PrintWriter output = spec.commandLine().getOut();
        if (!result.problems().isEmpty()) {
            for (Verification.Problem problem : result.problems()) {
                output.println("PROBLEM " + problem);
            }
            output.println(result.problems().size() + " problem(s) in the restored copy; it stays at " + partial
                    + " for inspection and " + out + " was not created");
            return ExitCodes.PROBLEMS;
        }
        try {
            Files.move(partial, out);
        } catch (IOException e) {
            throw new ToolException(ExitCodes.FILE, "could not rename " + partial + " to " + out + ": " + e.getMessage()
                    + "; the verified copy stays at " + partial, e);
        }
        output.println("Restored " + replica.url() + (moment == null ? "" : " as of " + moment) + " to " + out + " ("
                + DatabaseFile.sizeOf(out) + " bytes; verified: integrity_check, foreign_key_check, "
                + result.compressedValues() + " compressed values in " + result.compressedColumns() + " columns)");
        return ExitCodes.OK;
    }

    /** An ISO-8601 moment with its offset ({@code Z} or {@code +01:00}): a local time would be a guess. */
    private static Instant moment(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ToolException(ExitCodes.USAGE, "--timestamp '" + text + "' is not an ISO-8601 date and time with"
                    + " a UTC offset, e.g. 2026-01-31T12:00:00Z or 2026-01-31T13:00:00+01:00");
        }
    }

    /**
     * A copy left by an interrupted restore is ours (named after OUT) and unverified: it goes, with Litestream's
     * work file ({@code .tmp}) and the sidecars of both.
     */
    private static void removeUnfinished(Path partial, PrintWriter err) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".tmp", ".tmp-wal", ".tmp-shm"}) {
            Path file = partial.resolveSibling(partial.getFileName() + suffix);
            try {
                if (Files.deleteIfExists(file) && !suffix.startsWith(".tmp-")) {
                    err.println("restore: removed " + file + ", left by an unfinished restore");
                }
            } catch (IOException e) {
                throw new ToolException(ExitCodes.FILE, "cannot remove " + file + ", left by an unfinished restore: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Litestream restores into {@code <name>.tmp} and renames it, leaving that name's empty -wal and -shm. */
    private static void removeSidecars(Path file) {
        Litestream.discard(file.resolveSibling(file.getFileName() + "-wal"));
        Litestream.discard(file.resolveSibling(file.getFileName() + "-shm"));
    }
}
