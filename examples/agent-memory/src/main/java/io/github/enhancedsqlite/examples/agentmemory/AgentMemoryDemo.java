package io.github.enhancedsqlite.examples.agentmemory;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Several agent processes (real JVMs, {@link AgentProcess}) share one memory file and write to it at the same
 * time; afterwards every write any of them was told had succeeded is checked in the file: present, at the version
 * it was acknowledged with, its value passing its checksum. Run it with
 * {@code java -jar examples/agent-memory/target/agent-memory.jar [new-file.db]} (default: a file in a new
 * temporary directory); it exits 1 if anything was lost.
 */
public final class AgentMemoryDemo {

    /** Bounds the wait for a hung agent; it says nothing about speed. */
    private static final long GIVE_UP_MINUTES = 3;

    /**
     * How much each agent does: {@code threads} threads each write {@code notesPerThread} notes of their own,
     * each created and then updated {@code updatesPerNote} times, and add one to the shared progress counter
     * {@code incrementsPerThread} times.
     */
    public record Plan(int agents, int threads, int notesPerThread, int updatesPerNote, int incrementsPerThread) {

        public long notes() {
            return (long) agents * threads * notesPerThread;
        }

        public long increments() {
            return (long) agents * threads * incrementsPerThread;
        }

        /** Every write of the plan: each note's creation and updates, each increment. */
        public long writes() {
            return notes() * (1 + updatesPerNote) + increments();
        }
    }

    /**
     * @param acknowledged writes the agents reported as succeeded
     * @param conflicts    optimistic updates of the counter that met a newer version and were redone
     * @param problems     everything that went wrong: agent errors or exits, acknowledged writes missing or at
     *                     another version; empty when nothing was lost
     */
    public record Outcome(long acknowledged, long conflicts, List<String> problems) {
    }

    private AgentMemoryDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0])
                : Files.createTempDirectory("agent-memory").resolve("agent-memory.db");
        if (Files.exists(file)) {
            System.err.println(file + " exists; the demo needs a file of its own: name one that does not exist yet");
            System.exit(2);
        }
        Plan plan = new Plan(3, 2, 10, 3, 10);
        System.out.printf("%d agent processes x %d threads writing to %s ...%n", plan.agents(), plan.threads(), file);
        Outcome outcome = run(file, plan, System.getProperty("java.class.path"));
        System.out.printf("%d writes acknowledged (plan: %d), %d optimistic conflicts redone%n",
                outcome.acknowledged(), plan.writes(), outcome.conflicts());
        if (outcome.problems().isEmpty()) {
            System.out.println("every acknowledged write is in the file at its version: nothing lost");
        } else {
            outcome.problems().forEach(problem -> System.out.println("PROBLEM: " + problem));
            System.exit(1);
        }
    }

    /** Creates the store in {@code file} (which may already hold one), runs the agents, checks what they wrote. */
    public static Outcome run(Path file, Plan plan, String classPath) throws Exception {
        String url = "jdbc:enhanced-sqlite:" + file.toAbsolutePath() + "?compress=auto";
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            MemoryStore.createSchema(dataSource);
            new MemoryStore(dataSource).store("coordinator", MemoryWrite.of(AgentProcess.TEAM, AgentProcess.PROGRESS,
                    AgentProcess.progressValue(0, "coordinator")).withType("json").withAccessLevel(AccessLevel.SHARED));
        } // closed: while the agents run, only they use the file

        List<String> problems = new ArrayList<>();
        List<Agent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < plan.agents(); i++) {
                agents.add(Agent.start(classPath, url, "agent-" + i, plan));
            }
            for (Agent agent : agents) {
                agent.awaitReady();
            }
            for (Agent agent : agents) {
                agent.go();
            }
            for (Agent agent : agents) {
                int exit = agent.awaitExit();
                if (exit != 0 || agent.reported("errors") != 0) {
                    problems.add(agent.name + " exited with " + exit + "; its output:\n" + String.join("\n", agent.lines()));
                }
            }
        } finally {
            for (Agent agent : agents) {
                agent.process.destroyForcibly();
            }
        }

        Acknowledged acks = new Acknowledged();
        long conflicts = 0;
        for (Agent agent : agents) {
            for (String line : agent.lines()) {
                if (line.startsWith("ack ")) {
                    acks.add(line, problems);
                }
            }
            conflicts += Math.max(0, agent.reported("conflicts"));
        }
        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            acks.check(dataSource, problems);
        }
        return new Outcome(acks.count, conflicts, problems);
    }

    /** The acknowledged writes: the last version per entry, and every version of the shared counter. */
    private static final class Acknowledged {

        final Map<String, Long> lastVersion = new HashMap<>();
        final Set<Long> progressVersions = new HashSet<>();
        long count;

        void add(String line, List<String> problems) {
            String[] parts = line.split(" ");
            String entry = parts[1] + "/" + parts[2];
            long version = Long.parseLong(parts[3]);
            count++;
            lastVersion.merge(entry, version, Math::max);
            if (entry.equals(AgentProcess.TEAM + "/" + AgentProcess.PROGRESS) && !progressVersions.add(version)) {
                problems.add("two agents were both acknowledged for version " + version + " of " + entry);
            }
        }

        void check(EnhancedSqliteDataSource dataSource, List<String> problems) throws SQLException {
            Map<String, String> owners = new HashMap<>();
            Map<String, Long> versions = new HashMap<>();
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT namespace, key, owner, version FROM memory_entries");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String entry = rows.getString(1) + "/" + rows.getString(2);
                    owners.put(entry, rows.getString(3));
                    versions.put(entry, rows.getLong(4));
                }
            }
            lastVersion.forEach((entry, version) -> {
                Long stored = versions.get(entry);
                if (stored == null) {
                    problems.add(entry + " was acknowledged at version " + version + " but is not in the file");
                } else if (stored.longValue() != version) {
                    problems.add(entry + " was last acknowledged at version " + version + " but the file has "
                            + stored);
                }
            });
            MemoryStore store = new MemoryStore(dataSource);
            for (Map.Entry<String, String> entry : owners.entrySet()) {
                String[] name = entry.getKey().split("/", 2);
                store.retrieve(entry.getValue(), name[0], name[1]); // throws if its checksum fails
            }
            MemoryEntry progress = store.retrieve("coordinator", AgentProcess.TEAM, AgentProcess.PROGRESS).orElseThrow();
            if (AgentProcess.count(progress.value()) != progressVersions.size()) {
                problems.add("the counter holds " + AgentProcess.count(progress.value()) + " but "
                        + progressVersions.size() + " increments were acknowledged");
            }
        }
    }

    /** One agent process and the lines it printed. */
    private static final class Agent {

        final String name;
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread reader;

        private Agent(String name, Process process) {
            this.name = name;
            this.process = process;
            this.reader = new Thread(this::read, name + "-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Agent start(String classPath, String url, String name, Plan plan) throws IOException {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Small, quick-starting JVMs: the agents are short-lived processes, as real ones are.
                    "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", classPath, AgentProcess.class.getName(), url, name,
                    Integer.toString(plan.threads()), Integer.toString(plan.notesPerThread()),
                    Integer.toString(plan.updatesPerNote()), Integer.toString(plan.incrementsPerThread()));
            return new Agent(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                lines.add("(output lost: " + e + ")");
            }
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                throw new IllegalStateException(name + " never got ready; its output:\n" + String.join("\n", lines()));
            }
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.close();
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not exit; its output:\n" + String.join("\n", lines()));
            }
            reader.join(TimeUnit.MINUTES.toMillis(1));
            return process.exitValue();
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /** A figure from the agent's last line, "done errors=E conflicts=C"; -1 if it never got there. */
        long reported(String figure) {
            for (String line : lines()) {
                if (line.startsWith("done ")) {
                    for (String field : line.substring("done ".length()).split(" ")) {
                        if (field.startsWith(figure + "=")) {
                            return Long.parseLong(field.substring(figure.length() + 1));
                        }
                    }
                }
            }
            return -1;
        }
    }
}
