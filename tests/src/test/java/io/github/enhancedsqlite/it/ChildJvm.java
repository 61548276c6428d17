package io.github.enhancedsqlite.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a separate JVM and waits for it to exit: for what one JVM cannot show about itself
 * (its exit, driver deregistration, a class path holding nothing but the drop-in jar).
 */
final class ChildJvm {

    /** A hung child must not hang the build; this bounds the wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 2;

    record Result(int exitCode, String output) {
    }

    /** A run whose standard error was kept apart from its standard output. */
    record Streams(int exitCode, String stdout, String stderr) {
    }

    private ChildJvm() {
    }

    /** The test class path of this JVM (surefire may pass it through a manifest-only jar; java honours that). */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    static Result run(String classPath, String mainClass, String... arguments) throws IOException, InterruptedException {
        return run(List.of(), classPath, mainClass, arguments);
    }

    static Result run(List<String> jvmOptions, String classPath, String mainClass, String... arguments)
            throws IOException, InterruptedException {
        return exec(javaCommand(jvmOptions, classPath, mainClass, arguments), null, GIVE_UP_MINUTES);
    }

    /** Like {@link #run(List, String, String, String...)}, with these variables added to the child's environment. */
    static Result run(Map<String, String> environment, List<String> jvmOptions, String classPath, String mainClass,
            String... arguments) throws IOException, InterruptedException {
        return exec(javaCommand(jvmOptions, classPath, mainClass, arguments), environment, null, GIVE_UP_MINUTES);
    }

    /**
     * Runs any command (a build tool, say) in {@code directory} (null: this JVM's), its stderr merged into its
     * output, giving up after {@code giveUpMinutes}.
     */
    static Result exec(List<String> command, Path directory, long giveUpMinutes)
            throws IOException, InterruptedException {
        return exec(command, Map.of(), directory, giveUpMinutes);
    }

    /** Like {@link #exec(List, Path, long)}, with these variables added to (or replacing) this JVM's environment. */
    static Result exec(List<String> command, Map<String, String> environment, Path directory, long giveUpMinutes)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = drain(process.getInputStream(), output, "child-output");
        if (!process.waitFor(giveUpMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            reader.join();
            throw new AssertionError(String.join(" ", command) + " did not exit; output:\n" + text(output));
        }
        reader.join();
        return new Result(process.exitValue(), text(output));
    }

    /** Like {@link #run}, keeping what the child printed on stderr apart, for tests of what it prints there. */
    static Streams runApart(String classPath, String mainClass, String... arguments)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(javaCommand(List.of(), classPath, mainClass, arguments)).start();
        process.getOutputStream().close();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread outReader = drain(process.getInputStream(), stdout, "child-jvm-stdout");
        Thread errReader = drain(process.getErrorStream(), stderr, "child-jvm-stderr");
        if (!process.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            outReader.join();
            errReader.join();
            throw new AssertionError("child JVM " + mainClass + " did not exit; stdout:\n" + text(stdout)
                    + "\nstderr:\n" + text(stderr));
        }
        outReader.join();
        errReader.join();
        return new Streams(process.exitValue(), text(stdout), text(stderr));
    }

    /** The command line of a child JVM of this JVM's Java (for a caller that runs it under another command). */
    static List<String> javaCommand(List<String> jvmOptions, String classPath, String mainClass,
            String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(arguments));
        return command;
    }

    private static Thread drain(InputStream stream, ByteArrayOutputStream into, String name) {
        Thread reader = new Thread(() -> {
            try (InputStream in = stream) {
                in.transferTo(into);
            } catch (IOException e) {
                // the process was killed; what was read so far is kept
            }
        }, name);
        reader.start();
        return reader;
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    static Result runWithTestClassPath(Class<?> mainClass, String... arguments) throws IOException, InterruptedException {
        return run(testClassPath(), mainClass.getName(), arguments);
    }
}
