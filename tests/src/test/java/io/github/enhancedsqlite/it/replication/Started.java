package io.github.enhancedsqlite.it.replication;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test started (Litestream through the toolkit, a writer JVM, S3Proxy, sshd): its output lines as
 * they come, waiting for a line, and ending it by SIGTERM or SIGKILL. Whatever is still running when the test ends
 * is killed.
 */
final class Started implements AutoCloseable {

    /** A hung process must not hang the build; this bounds every wait, it asserts nothing about speed. */
    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    private Started(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::read, "output of " + name);
        reader.setDaemon(true);
        reader.start();
    }

    static Started start(String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return new Started(name, process);
    }

    /** {@code java -cp <this test class path> mainClass arguments...}. */
    static Started java(Class<?> mainClass, String... arguments) throws IOException {
        String surefire = System.getProperty("surefire.test.class.path");
        String classPath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", classPath, mainClass.getName()));
        command.addAll(List.of(arguments));
        return start(mainClass.getSimpleName(), command, Map.of());
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void read() {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed: what was read is kept
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    String output() {
        return String.join("\n", lines());
    }

    /** Waits until a line matches; the first that does. */
    synchronized String awaitLine(String what, Predicate<String> matches) throws InterruptedException {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (matches.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = giveUp - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError(name + (ended ? " ended" : " gave no sign") + " before " + what
                        + "; its output:\n" + String.join("\n", lines));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until the process has ended and its last line was read; its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(GIVE_UP_NANOS, TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end; its output:\n" + output());
        }
        reader.join();
        return process.exitValue();
    }

    /** SIGTERM, as a service manager stops a process, then its exit status. */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit();
    }

    /** SIGKILL: no shutdown hook, no final anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        reader.join();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
