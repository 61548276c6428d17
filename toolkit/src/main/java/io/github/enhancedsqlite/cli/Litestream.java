package io.github.enhancedsqlite.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code litestream} binary the toolkit runs (it never embeds Litestream): found through {@code --litestream
 * PATH}, the environment variable {@code LITESTREAM_BIN} or {@code PATH}, and asked its version, because v0.3 and
 * v0.5 read different configuration files. The toolkit writes Litestream's configuration itself, so the command
 * line names only a database and a replica.
 */
final class Litestream {

    /** Where a user's own choice of binary is looked up when {@code --litestream} is not given. */
    static final String BINARY_VARIABLE = "LITESTREAM_BIN";
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long VERSION_WAIT_SECONDS = 30;

    /** The release lines whose command line and configuration the toolkit knows. */
    enum Line {
        /** v0.3.x: a database lists its {@code replicas}. */
        V0_3,
        /** v0.5 and later: a database has one {@code replica}. */
        V0_5
    }

    private final Path binary;
    private final String version;
    private final Line line;

    private Litestream(Path binary, String version, Line line) {
        this.binary = binary;
        this.version = version;
        this.line = line;
    }

    /** The binary named by the option, else by {@code LITESTREAM_BIN}, else the first on {@code PATH}. */
    static Litestream find(Path option) {
        Path binary;
        if (option != null) {
            binary = requireExecutable(option, "--litestream");
        } else if (System.getenv(BINARY_VARIABLE) != null && !System.getenv(BINARY_VARIABLE).isBlank()) {
            binary = requireExecutable(Path.of(System.getenv(BINARY_VARIABLE)), BINARY_VARIABLE);
        } else {
            binary = onPath();
        }
        String version = version(binary);
        return new Litestream(binary, version, line(binary, version));
    }

    private static Path requireExecutable(Path binary, String source) {
        Path absolute = binary.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute) || !Files.isExecutable(absolute)) {
            throw new ToolException(ExitCodes.FILE, source + " names " + absolute + ", which is not an executable"
                    + " file; name the litestream binary (install it from https://litestream.io/install/, or with"
                    + " npm install --prefix DIR @flydotio/litestream-linux-x64@1.0.1)");
        }
        return absolute;
    }

    private static Path onPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(java.io.File.pathSeparator)) {
                if (directory.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(directory, "litestream");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath();
                }
            }
        }
        throw new ToolException(ExitCodes.FILE, "no litestream binary found: give --litestream PATH, set "
                + BINARY_VARIABLE + ", or put litestream on PATH (install it from https://litestream.io/install/,"
                + " or with npm install --prefix DIR @flydotio/litestream-linux-x64@1.0.1)");
    }

    private static String version(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(VERSION_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ToolException(ExitCodes.FAILED, binary + " version did not answer");
            }
            return output;
        } catch (IOException e) {
            throw new ToolException(ExitCodes.FILE, binary + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ExitCodes.FAILED, "interrupted while asking " + binary + " for its version", e);
        }
    }

    private static Line line(Path binary, String version) {
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.find()) {
            throw new ToolException(ExitCodes.FILE, binary + " version answered '" + version + "', which names no"
                    + " version; is it litestream?");
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        if (major == 0 && minor == 3) {
            return Line.V0_3;
        }
        if (major > 0 || minor >= 5) {
            return Line.V0_5;
        }
        throw new ToolException(ExitCodes.FILE, binary + " is Litestream " + version + "; the toolkit runs v0.3.x"
                + " and v0.5 or later");
    }

    Line line() {
        return line;
    }

    String describe() {
        return "litestream " + version + " (" + binary + ")";
    }

    /**
     * Writes the configuration that replicates (or restores) {@code database} from {@code replica} into a file only
     * this user can read, deleted by the caller. Logs go to stderr, where the toolkit's progress goes.
     */
    Path writeConfig(Path database, Replica replica) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("logging:\n  stderr: true\n");
        yaml.append("dbs:\n");
        yaml.append("  - path: ").append(Replica.quoted(database.toString())).append('\n');
        if (line == Line.V0_3) {
            yaml.append("    replicas:\n");
            replica.appendYaml(yaml, "      - ", "        ");
        } else {
            yaml.append("    replica:\n");
            replica.appendYaml(yaml, "      ", "      ");
        }
        try {
            Path config = Files.createTempFile("enhanced-sqlite-litestream-", ".yml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, yaml.toString(), StandardCharsets.UTF_8);
            return config;
        } catch (IOException | UnsupportedOperationException e) {
            throw new ToolException(ExitCodes.FAILED, "could not write Litestream's configuration: " + e.getMessage(), e);
        }
    }

    /** Deletes a file made for or by Litestream (its configuration, its leftovers); a failure leaves it be. */
    static void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file; the system's temp cleaning takes it
        }
    }

    /**
     * Starts {@code litestream <command> -config CONFIG -no-expand-env arguments...}; what it prints is copied line
     * by line to {@code err}. The configuration holds paths, not secrets: credentials reach Litestream through its
     * environment ({@code LITESTREAM_ACCESS_KEY_ID}, {@code AWS_ACCESS_KEY_ID}, ...), which it inherits, so
     * expanding variables in the file is turned off and a path with a {@code $} stays as written.
     */
    Running start(String command, Path config, PrintWriter err, String... arguments) {
        List<String> line = new ArrayList<>(List.of(binary.toString(), command, "-config", config.toString(),
                "-no-expand-env"));
        line.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            process.getOutputStream().close();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            return new Running(process, copyLines(process.getInputStream(), err, lines), lines);
        } catch (IOException e) {
            throw new ToolException(ExitCodes.FAILED, "could not start " + String.join(" ", line) + ": "
                    + e.getMessage(), e);
        }
    }

    private static Thread copyLines(InputStream output, PrintWriter err, List<String> kept) {
        Thread copier = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                    synchronized (kept) {
                        kept.add(text);
                        kept.notifyAll();
                    }
                    synchronized (err) {
                        err.println("litestream: " + text);
                        err.flush();
                    }
                }
            } catch (IOException e) {
                // the process ended and closed its output
            }
        }, "litestream-output");
        copier.setDaemon(true);
        copier.start();
        return copier;
    }

    /** A started litestream process, the thread copying its output, and the lines copied so far. */
    record Running(Process process, Thread output, List<String> lines) {

        /** Waits for the process to end and its last line to be copied; its exit status. */
        int await() throws InterruptedException {
            int status = process.waitFor();
            output.join();
            return status;
        }

        /**
         * Waits, at most {@code millis}, until every WAL segment Litestream began writing is reported written. A
         * stop signal that lands while one is being written makes v0.3's final sync write the same segment beside
         * it, and one of the two fails ("client write: … no such file"); between syncs (one a second, each a few
         * milliseconds) the stop is clean.
         */
        void awaitSegmentsWritten(long millis) throws InterruptedException {
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            synchronized (lines) {
                while (segmentsInFlight(lines) > 0) {
                    long left = giveUp - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                }
            }
        }

        private static int segmentsInFlight(List<String> output) {
            int inFlight = 0;
            for (String line : output) {
                if (line.contains("msg=\"write wal segment\"")) {
                    inFlight++;
                } else if (line.contains("msg=\"wal segment written\"")) {
                    inFlight = Math.max(0, inFlight - 1);
                }
            }
            return inFlight;
        }

        /**
         * Whether a stop failed only by Litestream v0.3's closing bug: {@code DB.Close} syncs the WAL into its shadow
         * copy and then checkpoints with the context it has just canceled, which fails ("error closing db …
         * context canceled"; benbjohnson/litestream#601, fixed after v0.3.13). The replicas' final sync runs after
         * that all the same; it went through when every WAL segment it began writing after the stop is reported
         * written and nothing else failed.
         */
        boolean stoppedByClosingBugOnly() {
            List<String> copy;
            synchronized (lines) {
                copy = List.copyOf(lines);
            }
            int signal = -1;
            for (int i = 0; i < copy.size(); i++) {
                if (copy.get(i).contains("signal received")) {
                    signal = i;
                }
            }
            if (signal < 0) {
                return false;
            }
            boolean closingBug = false;
            int begun = 0;
            int written = 0;
            for (String line : copy.subList(signal, copy.size())) {
                if (line.contains("level=ERROR")) {
                    boolean canceledClose = line.contains("context canceled")
                            && (line.contains("error closing db") || line.contains("failed to run"));
                    if (!canceledClose) {
                        return false;
                    }
                    closingBug = true;
                } else if (line.contains("msg=\"write wal segment\"")) {
                    begun++;
                } else if (line.contains("msg=\"wal segment written\"")) {
                    written++;
                }
            }
            return closingBug && written == begun;
        }
    }
}
