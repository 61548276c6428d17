package io.github.enhancedsqlite.demo;

import java.util.SplittableRandom;

/**
 * JSON values shaped like the ones agent-memory tools store: small hook and coordination records (a few hundred
 * bytes) and occasional session snapshots (tens of KB of highly repetitive JSON).
 */
final class Payloads {

    private static final String[] AGENTS = {"coder", "reviewer", "tester", "planner", "researcher", "architect"};
    private static final String[] FILES = {"src/app/main.py", "src/core/engine.ts", "README.md",
        "config/settings.json", "tests/test_engine.py", "docs/architecture.md", "scripts/deploy.sh"};
    private static final String[] STATUS = {"completed", "in_progress", "pending", "failed"};
    private static final String[] COMMANDS = {"npm test", "git status", "poetry run pytest -q",
        "cargo build --release", "ls -la src", "npx tsc --noEmit"};

    private Payloads() {
    }

    static String smallValue(SplittableRandom random, String id, long epochSeconds) {
        String agent = AGENTS[random.nextInt(AGENTS.length)] + "-" + random.nextInt(8);
        StringBuilder json = new StringBuilder(320)
                .append("{\"id\":\"").append(id)
                .append("\",\"agent\":\"").append(agent)
                .append("\",\"file\":\"").append(FILES[random.nextInt(FILES.length)])
                .append("\",\"command\":\"").append(COMMANDS[random.nextInt(COMMANDS.length)])
                .append("\",\"status\":\"").append(STATUS[random.nextInt(STATUS.length)])
                .append("\",\"durationMs\":").append(random.nextInt(20_000))
                .append(",\"timestamp\":").append(epochSeconds * 1000 + random.nextInt(1000))
                .append(",\"tags\":[");
        int tags = 1 + random.nextInt(4);
        for (int i = 0; i < tags; i++) {
            json.append(i == 0 ? "\"" : ",\"").append(STATUS[random.nextInt(STATUS.length)]).append('-')
                    .append(random.nextInt(100)).append('"');
        }
        return json.append("]}").toString();
    }

    static String metadata(SplittableRandom random, String namespace) {
        return "{\"source\":\"" + namespace + "\",\"agent\":\"" + AGENTS[random.nextInt(AGENTS.length)]
                + "\",\"version\":" + (1 + random.nextInt(5)) + "}";
    }

    /** A session snapshot: a list of recent events, repetitive as real ones are, of about {@code bytes} length. */
    static String snapshot(SplittableRandom random, int bytes) {
        StringBuilder json = new StringBuilder(bytes + 256)
                .append("{\"sessionId\":\"session-").append(Long.toHexString(random.nextLong()))
                .append("\",\"state\":\"active\",\"events\":[");
        for (int i = 0; json.length() < bytes; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"seq\":").append(i)
                    .append(",\"type\":\"").append(i % 3 == 0 ? "edit" : i % 3 == 1 ? "bash" : "message")
                    .append("\",\"file\":\"").append(FILES[random.nextInt(FILES.length)])
                    .append("\",\"agent\":\"").append(AGENTS[random.nextInt(AGENTS.length)])
                    .append("\",\"status\":\"").append(STATUS[random.nextInt(STATUS.length)])
                    .append("\"}");
        }
        return json.append("]}").toString();
    }
}
