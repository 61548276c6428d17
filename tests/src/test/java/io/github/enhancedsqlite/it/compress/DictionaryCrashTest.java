package io.github.enhancedsqlite.it.compress;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import io.github.enhancedsqlite.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while its pool trains a dictionary and moves values onto it: whatever moment the kill
 * hits, no value names a dictionary the file does not hold committed, every acknowledged value reads back as it
 * was written, and {@code verify} finds nothing wrong.
 */
class DictionaryCrashTest {

    static final String SETTINGS = "compressThreshold=32&compressDictionarySamples=20";
    /** A hung child must not hang the build; this bounds the wait, it asserts nothing about speed. */
    private static final long GIVE_UP_MINUTES = 2;
    /** Writes acknowledged after the import before the kill: the dictionary thread is at work by then. */
    private static final int ACKS_BEFORE_KILL = 30;

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void aKillDuringTrainingLeavesNoValueNamingAMissingDictionary() throws Exception {
        Path file = dir.resolve("killed.db");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, ImportThenWriteMain.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        Set<String> acknowledged = new HashSet<>();
        List<String> output = new ArrayList<>();
        boolean committed = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                committed |= line.equals("committed");
                if (line.startsWith("ack ")) {
                    acknowledged.add(line.substring(4));
                    if (acknowledged.size() == ACKS_BEFORE_KILL) {
                        // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
                        // output, and what the child printed before it died could not be read
                        child.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            if (!child.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
        }
        assertThat(committed).as("the child's output: %s", output).isTrue();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        Set<Integer> stored = new HashSet<>();
        Set<Integer> named = new HashSet<>();
        try (Connection plain = CompressDb.plain(file); Statement statement = plain.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT count(*) FROM sqlite_schema"
                    + " WHERE name = '_enhanced_sqlite_dictionaries'")) {
                exists.next();
                if (exists.getInt(1) == 1) {
                    try (ResultSet ids = statement.executeQuery("SELECT id FROM _enhanced_sqlite_dictionaries")) {
                        while (ids.next()) {
                            stored.add(ids.getInt(1));
                        }
                    }
                }
            }
            try (ResultSet values = statement.executeQuery("SELECT value FROM memory_entries"
                    + " WHERE typeof(value) = 'blob'")) {
                while (values.next()) {
                    byte[] envelope = values.getBytes(1);
                    int id = ((envelope[6] & 0xFF) << 24) | ((envelope[7] & 0xFF) << 16) | ((envelope[8] & 0xFF) << 8)
                            | (envelope[9] & 0xFF);
                    if (id != 0) {
                        named.add(id);
                    }
                }
            }
        }
        assertThat(named).as("dictionaries the values name, all committed (%s)", stored).isSubsetOf(stored);

        try (Connection connection = CompressDb.open(file, SETTINGS)) {
            for (int i = 0; i < ImportThenWriteMain.IMPORTED; i++) {
                assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries WHERE key = ?",
                        "k" + i)).isEqualTo(CompressDb.hookRecord(i));
            }
            for (String key : acknowledged) {
                assertThat(CompressDb.queryString(connection, "SELECT value FROM memory_entries WHERE key = ?", key))
                        .isEqualTo(CompressDb.hookRecord(Integer.parseInt(key.substring(1))));
            }
        }
        EnhancedSqlite.shutdown();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(err), new String[] {"verify", file.toString()}))
                .as("verify: %s%s", out, err).isZero();
    }
}
