package io.github.enhancedsqlite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of {@link StartupChild} in a JVM of its own, with its wall time (start to exit, as the user waits for it)
 * and its CPU time (user + system, the JVM's exit included), which bash's {@code times} reports for its children
 * once they have ended. Only the bench's own class path is passed: what a hook process would have.
 */
record ChildProcess(long wallNanos, long cpuNanos, List<String> output) {

    private static final long TIMEOUT_SECONDS = 300;
    /** bash's {@code times}: the second line holds the children's user and system time, e.g. {@code 0m0.512s}. */
    private static final Pattern TIME = Pattern.compile("(\\d+)m([\\d.]+)s");

    static ChildProcess run(String... arguments) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$@\"; status=$?; times; exit $status", "bash",
                java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                StartupChild.class.getName()));
        command.addAll(List.of(arguments));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child did not exit: " + String.join(" ", arguments));
        }
        long wall = System.nanoTime() - started;
        List<String> lines = text.lines().toList();
        if (process.exitValue() != 0 || lines.size() < 2) {
            throw new IllegalStateException("child " + String.join(" ", arguments) + " failed (" + process.exitValue()
                    + "):\n" + text);
        }
        // times prints the shell's own line, then its children's
        Matcher children = TIME.matcher(lines.get(lines.size() - 1));
        long cpu = 0;
        while (children.find()) {
            cpu += (long) ((Long.parseLong(children.group(1)) * 60 + Double.parseDouble(children.group(2))) * 1e9);
        }
        return new ChildProcess(wall, cpu, lines.subList(0, lines.size() - 2));
    }

    /** The number after {@code name=} in the child's output. */
    long figure(String name) {
        String prefix = name + "=";
        return output.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .mapToLong(Long::parseLong).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + prefix + " in " + output));
    }
}
