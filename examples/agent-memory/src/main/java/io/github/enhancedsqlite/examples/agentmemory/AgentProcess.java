package io.github.enhancedsqlite.examples.agentmemory;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agent process of {@link AgentMemoryDemo}: its threads write notes of their own (each created, then updated
 * with the version it expects) and add to the team's shared progress counter (read, then store with the version
 * read; on a conflict, read again). It prints one {@code ack} line per acknowledged write, so the parent can check
 * afterwards that every one of them is in the file.
 *
 * <p>Arguments: url agent threads notesPerThread updatesPerNote incrementsPerThread. Prints "ready", then waits
 * for a line on stdin, so all agents start writing together.
 */
public final class AgentProcess {

    static final String NOTES = "notes";
    static final String TEAM = "team";
    static final String PROGRESS = "progress";
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

    private AgentProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String agent = args[1];
        int threads = Integer.parseInt(args[2]);
        int notes = Integer.parseInt(args[3]);
        int updates = Integer.parseInt(args[4]);
        int increments = Integer.parseInt(args[5]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();

        try (EnhancedSqliteDataSource dataSource = new EnhancedSqliteDataSource(url)) {
            MemoryStore store = new MemoryStore(dataSource);
            store.list(agent, TEAM); // the pool is open before the start signal
            ack(out, "ready");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String worker = agent + "-t" + t;
                Thread thread = new Thread(() -> {
                    try {
                        work(store, agent, worker, notes, updates, increments, out, conflicts);
                    } catch (Exception | AssertionError e) {
                        errors.incrementAndGet();
                        ack(out, "error " + worker + ": " + e);
                    }
                }, worker);
                workers.add(thread);
                thread.start();
            }
            for (Thread thread : workers) {
                thread.join();
            }
        }
        EnhancedSqlite.shutdown();
        ack(out, "done errors=" + errors.get() + " conflicts=" + conflicts.get());
    }

    /** Interleaves this thread's note writes with its counter increments, so both kinds contend together. */
    private static void work(MemoryStore store, String agent, String worker, int notes, int updates, int increments,
                             PrintStream out, AtomicInteger conflicts) throws Exception {
        for (int round = 0; round < Math.max(notes, increments); round++) {
            if (round < notes) {
                writeNote(store, agent, worker + "-note-" + round, round, updates, out);
            }
            if (round < increments) {
                incrementProgress(store, agent, out, conflicts);
            }
        }
    }

    private static void writeNote(MemoryStore store, String agent, String key, int round, int updates,
                                  PrintStream out) throws Exception {
        AccessLevel level = round % 2 == 0 ? AccessLevel.PRIVATE : AccessLevel.SHARED;
        MemoryWrite write = MemoryWrite.of(NOTES, key, noteValue(key, 0)).withType("json").withAccessLevel(level)
                .withTags("agent:" + agent);
        MemoryEntry entry = store.store(agent, write, MemoryStore.ABSENT);
        ack(out, "ack " + NOTES + " " + key + " " + entry.version());
        for (int u = 1; u <= updates; u++) {
            entry = store.store(agent, write.withValue(noteValue(key, u)), entry.version());
            ack(out, "ack " + NOTES + " " + key + " " + entry.version());
        }
    }

    /** Optimistic read-modify-write: on a version conflict nothing was written, so read again and redo. */
    private static void incrementProgress(MemoryStore store, String agent, PrintStream out, AtomicInteger conflicts)
            throws Exception {
        while (true) {
            MemoryEntry current = store.retrieve(agent, TEAM, PROGRESS)
                    .orElseThrow(() -> new IllegalStateException(TEAM + "/" + PROGRESS + " is missing"));
            long count = count(current.value()) + 1;
            MemoryWrite write = MemoryWrite.of(TEAM, PROGRESS, progressValue(count, agent)).withType("json")
                    .withAccessLevel(AccessLevel.SHARED);
            try {
                MemoryEntry stored = store.store(agent, write, current.version());
                ack(out, "ack " + TEAM + " " + PROGRESS + " " + stored.version());
                return;
            } catch (VersionConflictException e) {
                conflicts.incrementAndGet();
            }
        }
    }

    static long count(String progressValue) {
        Matcher matcher = COUNT.matcher(progressValue);
        if (!matcher.find()) {
            throw new IllegalStateException("no count in " + progressValue);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Large enough (over 256 bytes) that the driver stores it compressed. */
    static String progressValue(long count, String lastAgent) {
        return "{\"count\":" + count + ",\"lastAgent\":\"" + lastAgent + "\",\"note\":\""
                + "the team's progress counter; every agent adds one with an optimistic version check, ".repeat(3)
                + "\"}";
    }

    static String noteValue(String key, int revision) {
        return "{\"key\":\"" + key + "\",\"revision\":" + revision + ",\"text\":\""
                + "observations an agent keeps between its steps, long enough to be compressed. ".repeat(4) + "\"}";
    }

    private static void ack(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
