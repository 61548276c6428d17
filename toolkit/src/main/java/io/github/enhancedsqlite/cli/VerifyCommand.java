package io.github.enhancedsqlite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks a database: SQLite's integrity_check and foreign_key_check, and every compressed value "
                + "decoded with its check verified, and BLOBs in compressed columns that look like compressed values "
                + "with a damaged magic. Each problem is listed with table, column and rowid.",
                "Read-only; safe while other processes use the database."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DB", description = "the SQLite database file")
    Path database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        DatabaseFile file = DatabaseFile.existing(database);
        PrintWriter out = spec.commandLine().getOut();
        Verification.Result result;
        try (Connection connection = file.open(true)) {
            result = Verification.run(connection, spec.commandLine().getErr());
        }
        for (Verification.Problem problem : result.problems()) {
            out.println("PROBLEM " + problem);
        }
        String summary = "integrity_check, foreign_key_check, " + result.compressedValues() + " compressed values in "
                + result.compressedColumns() + " columns";
        if (result.problems().isEmpty()) {
            out.println("OK " + file.path() + ": " + summary);
            return ExitCodes.OK;
        }
        out.println(result.problems().size() + " problem(s) in " + file.path() + " (checked " + summary + ")");
        return ExitCodes.PROBLEMS;
    }
}
