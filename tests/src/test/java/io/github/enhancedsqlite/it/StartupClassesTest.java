package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 point 2, shown by the classes a real child JVM loads (its {@code -verbose:class} log): a hook process that
 * upserts a compressed value through one connection and reads it back loads neither JSqlParser (its statements are
 * of the simple shapes; its CREATE TABLE IF NOT EXISTS compiles none of the patterns that read other CREATE statements),
 * HikariCP's pool (one connection at a time is lent by the pool itself) nor the JDK's security providers; a second
 * connection held at once starts HikariCP, and both read the value.
 */
class StartupClassesTest {

    @TempDir
    Path dir;

    @Test
    void aHookProcessLoadsNeitherTheParserNorHikariPool() throws Exception {
        ChildJvm.Result child = hook("hook.db");

        assertThat(child.output()).contains("read-back=true", "stored-as=blob");
        assertThat(loaded(child, "net.sf.jsqlparser.")).as("JSqlParser classes loaded").isEmpty();
        assertThat(loaded(child, "com.zaxxer.hikari.pool.HikariPool ")).as("HikariCP's pool loaded").isEmpty();
        assertThat(loaded(child, "jdk.proxy")).as("proxy classes generated").isEmpty();
        // the writers' queue file is named after the database file's device and inode as they are: hashing them
        // loaded the JDK's security providers, about 20 ms of a hook process's first write
        assertThat(loaded(child, "java.security.MessageDigest ")).as("MessageDigest loaded").isEmpty();
        // its CREATE TABLE IF NOT EXISTS is read by its first words: no pattern for other CREATE statements compiled
        // (the classes that hold them exist, so their absence from the log means something)
        for (String holder : List.of("io.github.enhancedsqlite.compress.PlainStorage$Patterns",
                "io.github.enhancedsqlite.compress.Compression$CreateTableAs")) {
            assertThat(Class.forName(holder, false, getClass().getClassLoader())).isNotNull();
            assertThat(loaded(child, holder + " ")).as(holder + " loaded").isEmpty();
        }
    }

    /**
     * No lambda or method reference of the driver is reached from start to exit: each would spin a class and link a
     * call site in the cold process, about twice what a small class costs (docs/ARCHITECTURE.md, "Start-up cost").
     */
    @Test
    void aHookProcessSpinsNoLambdaOfTheDriver() throws Exception {
        ChildJvm.Result child = hook("lambdas.db", "in-transaction");

        assertThat(child.output()).contains("read-back=true", "in-transaction=true");
        assertThat(loaded(child, "io.github.enhancedsqlite.").stream()
                .filter(line -> line.contains("$$Lambda") && !line.contains("io.github.enhancedsqlite.it."))
                .toList()).as("lambda classes of the driver").isEmpty();
    }

    /**
     * A second connection wanted at once is one the borrower opens itself; HikariCP starts only 10 s later, so a
     * process that ends sooner never loads it. Started at once, its start (classes, a SecureRandom that loads the
     * JDK's security providers) ran beside the burst that asked for it: four fresh JVMs' first transactions on one file
     * took 50–90 ms instead of about 45. (That HikariCP does start later, and shrinks the pool, is
     * {@code ManyFilesTest}'s.)
     */
    @Test
    void aSecondConnectionAtOnceIsServedWithoutStartingHikari() throws Exception {
        ChildJvm.Result child = hook("two.db", "second");

        assertThat(child.output()).contains("read-back=true", "second-read=true", "stored-as=blob");
        assertThat(child.output()).as("no thread starting or running HikariCP while the burst is served")
                .contains("hikari-threads-at-second=[]");
        assertThat(loaded(child, "com.zaxxer.hikari.pool.HikariPool ")).as("HikariCP's pool loaded").isEmpty();
    }

    /**
     * The replay of {@code inTransaction} is built at its first 40001, not at its first unit of work: building it loads
     * resilience4j's retry and its lambdas, which made a fresh JVM's first transaction take 16–18 ms instead of 6–7.
     */
    @Test
    void aUnitOfWorkThatIsNotReplayedLoadsNoRetryLibrary() throws Exception {
        ChildJvm.Result child = hook("unit.db", "in-transaction");

        assertThat(child.output()).contains("read-back=true", "in-transaction=true");
        assertThat(loaded(child, "io.github.resilience4j.")).as("resilience4j classes loaded").isEmpty();
    }

    private ChildJvm.Result hook(String file, String... more) throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of(dir.resolve(file).toString()));
        arguments.addAll(List.of(more));
        ChildJvm.Result child = ChildJvm.run(List.of("-verbose:class"), ChildJvm.testClassPath(),
                HookProcessMain.class.getName(), arguments.toArray(String[]::new));
        assertThat(child.exitCode()).as(child.output()).isZero();
        return child;
    }

    /** The log lines of classes loaded whose name begins with the prefix. */
    private static List<String> loaded(ChildJvm.Result child, String prefix) {
        return child.output().lines().filter(line -> line.contains("[class,load] " + prefix)).toList();
    }
}
