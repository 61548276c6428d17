package io.github.enhancedsqlite.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The activation toolkit: {@code java -jar enhanced-sqlite-jdbc-<version>-all.jar <command>}. One class per
 * command; every command opens what it names explicitly (plain sqlite-jdbc connections for reading and copying,
 * the enhanced driver only where values are compressed) and ends with one of the {@link ExitCodes}.
 */
@Command(name = "enhanced-sqlite", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Inspect, back up, migrate to compression, verify, roll back, export, compact and benchmark a "
                + "SQLite database, safely while other processes use it; replicate and restore it through Litestream.",
        subcommands = {InspectCommand.class, BackupCommand.class, MigrateCommand.class, VerifyCommand.class,
                RollbackCommand.class, ExportCommand.class, CompactCommand.class, BenchCommand.class,
                ReplicateCommand.class, RestoreCommand.class})
public final class Main implements Runnable {

    private static final Map<String, String> EXIT_CODES = new LinkedHashMap<>();

    static {
        EXIT_CODES.put(" " + ExitCodes.OK, "done, nothing wrong found");
        EXIT_CODES.put(" " + ExitCodes.PROBLEMS, "problems found in the database (listed)");
        EXIT_CODES.put(" " + ExitCodes.USAGE, "wrong command line");
        EXIT_CODES.put(" " + ExitCodes.FILE, "file missing, not SQLite, corrupt, unreadable, or location not writable");
        EXIT_CODES.put(" " + ExitCodes.REFUSED, "refused as unsafe (database in use, no backup, ...)");
        EXIT_CODES.put(" " + ExitCodes.FAILED, "other failure (message says what)");
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Name a command: "
                + String.join(", ", spec.subcommands().keySet()) + " (see --help)");
    }

    public static void main(String[] args) {
        // The -all jar logs through java.util.logging; pool start and stop messages are noise on a command line.
        Logger.getLogger("").setLevel(Level.WARNING);
        Charset console = Charset.defaultCharset();
        int exitCode = run(new PrintWriter(new java.io.OutputStreamWriter(System.out, console), true),
                new PrintWriter(new java.io.OutputStreamWriter(System.err, console), true), args);
        System.exit(exitCode);
    }

    /** Runs one command line; what it prints goes to {@code out} (results) and {@code err} (messages, progress). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println(commandLine.getCommandName() + ": " + sentence(e));
            err.flush();
            return e instanceof ToolException tool ? tool.exitCode() : ExitCodes.FAILED;
        });
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        }
        int exitCode = cli.execute(args);
        out.flush();
        err.flush();
        return exitCode;
    }

    private static String sentence(Exception e) {
        if (e instanceof ToolException) {
            return e.getMessage();
        }
        if (e instanceof SQLException) {
            return "SQLite failed: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"enhanced-sqlite-jdbc " + (version == null ? "(development build)" : version)};
        }
    }
}
