package io.github.enhancedsqlite.cli;

import io.github.enhancedsqlite.compress.Codec;
import io.github.enhancedsqlite.compress.ColumnRef;
import io.github.enhancedsqlite.compress.CorruptValueException;
import io.github.enhancedsqlite.compress.StoredFormat;
import io.github.enhancedsqlite.config.Pragma;
import io.github.enhancedsqlite.config.Profile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Reports on a database: file, pages, free pages, journal mode and WAL size; the pragmas a plain "
                + "sqlite-jdbc connection gets next to the profile's; tables and indexes with rows and bytes; for "
                + "agent-memory tables the namespaces with entries and bytes; compressed columns with their ratios.",
                "Read-only (a plain sqlite-jdbc connection); safe while other processes use the database."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DB", description = "the SQLite database file")
    Path database;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "96gb",
            description = "the driver profile to compare with (96gb, auto, low-memory, durable, off; default ${DEFAULT-VALUE})")
    String profileName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        Profile profile = profile();
        DatabaseFile file = DatabaseFile.existing(database);
        Map<String, Object> report;
        try (Connection connection = file.open(true)) {
            report = report(file, connection, profile, spec.commandLine().getErr());
        } catch (SQLException e) {
            throw DatabaseFile.explain(e, file.path());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? Json.write(report) : text(report));
        return ExitCodes.OK;
    }

    private Profile profile() {
        StringJoiner known = new StringJoiner(", ");
        for (Profile candidate : Profile.values()) {
            if (candidate.key().equalsIgnoreCase(profileName.trim())) {
                return candidate;
            }
            known.add(candidate.key());
        }
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Unknown profile '" + profileName + "'; known profiles: " + known);
    }

    static Map<String, Object> report(DatabaseFile file, Connection connection, Profile profile, PrintWriter err)
            throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        long pageSize = DatabaseFile.number(connection, "PRAGMA page_size");
        long pages = DatabaseFile.number(connection, "PRAGMA page_count");
        long free = DatabaseFile.number(connection, "PRAGMA freelist_count");
        report.put("file", file.path().toString());
        report.put("fileBytes", DatabaseFile.sizeOf(file.path()));
        report.put("walBytes", DatabaseFile.sizeOf(file.sidecar("-wal")));
        report.put("pageSize", pageSize);
        report.put("pageCount", pages);
        report.put("freePages", free);
        report.put("freeBytes", free * pageSize);
        report.put("journalMode", DatabaseFile.text(connection, "PRAGMA journal_mode"));
        try (Connection plain = JDBC.createConnection(JDBC.PREFIX + file.path(), noCreateDefaults())) {
            report.put("pragmas", pragmas(plain, profile));
        }
        Map<String, Long> bytesByObject = bytesByObject(connection);
        report.put("tables", tables(connection, bytesByObject));
        report.put("indexes", indexes(connection, bytesByObject));
        report.put("namespaces", namespaces(connection));
        report.put("compressedColumns", compressedColumns(connection, err));
        report.put("litestream", litestream(connection, file, bytesByObject));
        return report;
    }

    /**
     * Litestream's tables and state directory, shown apart from the application's tables: they are Litestream's
     * bookkeeping, and the state directory says Litestream replicated this file (see replicate and restore).
     */
    private static Map<String, Object> litestream(Connection connection, DatabaseFile file, Map<String, Long> bytes)
            throws SQLException {
        Map<String, Object> litestream = new LinkedHashMap<>();
        litestream.put("tables", tableRows(connection, CompressedColumns.litestreamTables(connection), bytes));
        Path state = StoredFormat.litestreamStateDirectory(file.path());
        litestream.put("stateDirectory", Files.isDirectory(state) ? state.toString() : null);
        return litestream;
    }

    /** The values a connection with sqlite-jdbc's defaults (nothing set, as an application gets it) reads. */
    private static Map<String, Object> pragmas(Connection plain, Profile profile) throws SQLException {
        Map<String, Object> pragmas = new LinkedHashMap<>();
        pragmas.put("profile", profile.key());
        List<Object> rows = new ArrayList<>();
        for (Pragma pragma : Pragma.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", pragma.key());
            row.put("plain", DatabaseFile.text(plain, "PRAGMA " + pragma.key()));
            String profiled = profile.pragmas().get(pragma);
            row.put("profile", profiled == null ? "(not set)" : profiled);
            rows.add(row);
        }
        pragmas.put("values", rows);
        return pragmas;
    }

    /** Bytes of every table and index, overflow pages included (SQLite's dbstat table). */
    private static Map<String, Long> bytesByObject(Connection connection) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")) {
            while (rows.next()) {
                bytes.put(rows.getString(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            // dbstat is compiled into sqlite-jdbc; a build without it reports no sizes rather than failing
        }
        return bytes;
    }

    private static List<Object> tables(Connection connection, Map<String, Long> bytes) throws SQLException {
        List<Object> tables = tableRows(connection, CompressedColumns.userTables(connection), bytes);
        tables.sort((a, b) -> Long.compare(bytesOf(b), bytesOf(a)));
        return tables;
    }

    /** Name, rows and bytes of each table named. */
    private static List<Object> tableRows(Connection connection, List<String> names, Map<String, Long> bytes)
            throws SQLException {
        List<Object> tables = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("name", name);
            table.put("rows", DatabaseFile.number(connection, "SELECT count(*) FROM " + DatabaseFile.quote(name)));
            table.put("bytes", bytes.getOrDefault(name, 0L));
            tables.add(table);
        }
        return tables;
    }

    private static List<Object> indexes(Connection connection, Map<String, Long> bytes) throws SQLException {
        List<Object> indexes = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' ORDER BY name")) {
            while (rows.next()) {
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("name", rows.getString(1));
                index.put("table", rows.getString(2));
                index.put("bytes", bytes.getOrDefault(rows.getString(1), 0L));
                indexes.add(index);
            }
        }
        indexes.sort((a, b) -> Long.compare(bytesOf(b), bytesOf(a)));
        return indexes;
    }

    /** For every table with a {@code namespace} column (agent memory): entries and stored bytes per namespace. */
    private static List<Object> namespaces(Connection connection) throws SQLException {
        List<Object> result = new ArrayList<>();
        for (String table : CompressedColumns.userTables(connection)) {
            List<String> columns = new ArrayList<>();
            boolean hasNamespace = false;
            try (PreparedStatement info = connection.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
                info.setString(1, table);
                try (ResultSet rows = info.executeQuery()) {
                    while (rows.next()) {
                        columns.add(rows.getString(1));
                        hasNamespace |= rows.getString(1).equalsIgnoreCase("namespace");
                    }
                }
            }
            if (!hasNamespace) {
                continue;
            }
            StringJoiner bytes = new StringJoiner(" + ");
            for (String column : columns) {
                String name = DatabaseFile.quote(column);
                bytes.add("coalesce(length(CAST(" + name + " AS BLOB)), 0)");
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT namespace, count(*), sum(" + bytes + ") FROM "
                         + DatabaseFile.quote(table) + " GROUP BY namespace ORDER BY 3 DESC, 1")) {
                while (rows.next()) {
                    Map<String, Object> namespace = new LinkedHashMap<>();
                    namespace.put("table", table);
                    namespace.put("namespace", rows.getString(1));
                    namespace.put("entries", rows.getLong(2));
                    namespace.put("bytes", rows.getLong(3));
                    result.add(namespace);
                }
            }
        }
        return result;
    }

    private static List<Object> compressedColumns(Connection connection, PrintWriter err) throws SQLException {
        List<Object> result = new ArrayList<>();
        List<ColumnRef> columns = CompressedColumns.recorded(connection);
        long total = 0;
        for (ColumnRef column : columns) {
            total += CompressedColumns.countEnvelopes(connection, column);
        }
        try (Codec codec = CompressedColumns.codec(connection);
             Progress progress = new Progress(err, "inspect", total, "values")) {
            for (ColumnRef column : columns) {
                long[] counts = new long[4]; // values, stored bytes, original bytes, undecodable
                CompressedColumns.forEachEnvelope(connection, column, (rowid, stored) -> {
                    counts[0]++;
                    counts[1] += stored.length;
                    try {
                        Object value = codec.decode(stored, "in " + column + " at rowid " + rowid);
                        counts[2] += value instanceof String text ? text.getBytes(StandardCharsets.UTF_8).length
                                : ((byte[]) value).length;
                    } catch (CorruptValueException e) {
                        counts[3]++;
                    }
                    progress.advance(1);
                });
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("column", column.toString());
                entry.put("compressedValues", counts[0]);
                entry.put("storedBytes", counts[1]);
                entry.put("originalBytes", counts[2]);
                entry.put("ratio", counts[1] == 0 ? 1.0 : Math.round(100.0 * counts[2] / counts[1]) / 100.0);
                entry.put("undecodable", counts[3]);
                result.add(entry);
            }
        }
        return result;
    }

    private static java.util.Properties noCreateDefaults() {
        SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        return config.toProperties();
    }

    private static long bytesOf(Object row) {
        return (Long) ((Map<?, ?>) row).get("bytes");
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("File          %s%n", report.get("file")));
        out.append(String.format("Size          %,d bytes, WAL %,d bytes%n", report.get("fileBytes"), report.get("walBytes")));
        out.append(String.format("Pages         %,d x %,d bytes, %,d free (%,d bytes)%n", report.get("pageCount"),
                report.get("pageSize"), report.get("freePages"), report.get("freeBytes")));
        out.append(String.format("Journal mode  %s%n", report.get("journalMode")));
        Map<String, Object> pragmas = (Map<String, Object>) report.get("pragmas");
        out.append(String.format("%nPragmas               %-22s %s%n", "plain sqlite-jdbc", "profile " + pragmas.get("profile")));
        for (Object row : (List<Object>) pragmas.get("values")) {
            Map<String, Object> pragma = (Map<String, Object>) row;
            out.append(String.format("  %-20s%-22s %s%n", pragma.get("name"), pragma.get("plain"), pragma.get("profile")));
        }
        out.append(String.format("%nTables (largest first)                   rows          bytes%n"));
        for (Object row : (List<Object>) report.get("tables")) {
            Map<String, Object> table = (Map<String, Object>) row;
            out.append(String.format("  %-36s %,8d %,14d%n", table.get("name"), table.get("rows"), table.get("bytes")));
        }
        out.append(String.format("%nIndexes (largest first)                  table                 bytes%n"));
        for (Object row : (List<Object>) report.get("indexes")) {
            Map<String, Object> index = (Map<String, Object>) row;
            out.append(String.format("  %-36s %-18s %,10d%n", index.get("name"), index.get("table"), index.get("bytes")));
        }
        List<Object> namespaces = (List<Object>) report.get("namespaces");
        if (!namespaces.isEmpty()) {
            out.append(String.format("%nNamespaces (largest first)        table               entries        bytes%n"));
            for (Object row : namespaces) {
                Map<String, Object> namespace = (Map<String, Object>) row;
                out.append(String.format("  %-30s %-18s %,8d %,12d%n", namespace.get("namespace"),
                        namespace.get("table"), namespace.get("entries"), namespace.get("bytes")));
            }
        }
        List<Object> compressed = (List<Object>) report.get("compressedColumns");
        out.append(String.format("%nCompressed columns"));
        if (compressed.isEmpty()) {
            out.append(String.format(" none (compress with: migrate DB)%n"));
        } else {
            out.append(String.format("                        values   stored bytes  original bytes  ratio%n"));
            for (Object row : compressed) {
                Map<String, Object> column = (Map<String, Object>) row;
                out.append(String.format("  %-36s %,8d %,14d %,15d %5.2fx%s%n", column.get("column"),
                        column.get("compressedValues"), column.get("storedBytes"), column.get("originalBytes"),
                        column.get("ratio"), (Long) column.get("undecodable") > 0
                                ? "  (" + column.get("undecodable") + " undecodable: run verify)" : ""));
            }
        }
        Map<String, Object> litestream = (Map<String, Object>) report.get("litestream");
        List<Object> litestreamTables = (List<Object>) litestream.get("tables");
        out.append(String.format("%nLitestream"));
        if (litestreamTables.isEmpty() && litestream.get("stateDirectory") == null) {
            out.append(String.format(" not seen (no _litestream_ tables, no state directory)%n"));
        } else {
            out.append(String.format("%n  state directory %s%n", litestream.get("stateDirectory") == null ? "none"
                    : litestream.get("stateDirectory")));
            for (Object row : litestreamTables) {
                Map<String, Object> table = (Map<String, Object>) row;
                out.append(String.format("  %-36s %,8d %,14d%n", table.get("name"), table.get("rows"),
                        table.get("bytes")));
            }
        }
        return out.toString().stripTrailing();
    }
}
