package io.github.enhancedsqlite.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copies a database with SQLite's online backup API: the copy is the database as of one commit, "
                + "even while other processes keep writing (never copy a live database with cp or mv).",
                "OUT is a new, self-contained file (rollback-journal mode, no -wal); it is never overwritten."})
final class BackupCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DB", description = "the SQLite database to copy")
    Path database;

    @Parameters(index = "1", paramLabel = "OUT", description = "the backup file to create")
    Path target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DatabaseFile file = DatabaseFile.existing(database);
        Path out = target.toAbsolutePath().normalize();
        OnlineBackup.copy(file, out, spec.commandLine().getErr());
        spec.commandLine().getOut().println("Backed up " + file.path() + " to " + out + " ("
                + DatabaseFile.sizeOf(out) + " bytes, quick_check ok)");
        return ExitCodes.OK;
    }
}
