package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 4 with the plain driver jar: an application whose class path is the driver and its Maven
 * dependencies (not the drop-in jar) prints nothing of the driver's on stderr in an ordinary run, whether it has an
 * SLF4J provider at its default level (slf4j-simple: INFO) or none at all, and still prints a warning when one is
 * due. Child JVMs with those class paths run {@link QuietAppMain}.
 */
class QuietWithDriverJarTest {

    @Test
    void withSlf4jSimpleAnOrdinaryRunPrintsNothingOnStderr(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath(true), QuietAppMain.class.getName(),
                dir.resolve("app.db").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=1", "closed");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void withSlf4jSimpleAWarningDueIsStillPrinted(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath(true), QuietAppMain.class.getName(),
                dir.resolve("slow.db").toString(), "slow");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=2000000");
        assertThat(run.stderr()).contains("WARN io.github.enhancedsqlite.metrics.SlowStatementLog - Slow statement on")
                .contains("slowStatementThreshold=1 ms").doesNotContain("INFO");
    }

    @Test
    void withoutAnySlf4jProviderAnOrdinaryRunPrintsNothingOnStderr(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath(false), QuietAppMain.class.getName(),
                dir.resolve("app.db").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=1", "closed");
        assertThat(run.stderr()).isEmpty();
    }

    /** The driver binds SLF4J only for its own loggers and leaves no property behind. */
    @Test
    void withoutAnySlf4jProviderTheApplicationsOwnLoggingStaysAsSlf4jLeavesIt(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath(false), NoProviderAppMain.class.getName(),
                dir.resolve("app.db").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=1", "closed", "slf4j.provider=null", "slf4j.internal.verbosity=null");
        assertThat(run.stderr()).as("the application's own warning, to SLF4J's silent fallback").isEmpty();
    }

    /** Without a provider the driver's warnings go to java.util.logging, as the JDK configures it (stderr). */
    @Test
    void withoutAnySlf4jProviderAWarningDueGoesToJavaUtilLogging(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath(false), QuietAppMain.class.getName(),
                dir.resolve("slow.db").toString(), "slow");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=2000000");
        assertThat(run.stderr()).contains("WARNING: Slow statement on").contains("slowStatementThreshold=1 ms")
                .doesNotContain("SLF4J").doesNotContain("INFO");
    }

    /**
     * The driver and each of its Maven dependencies, found by one class of each on this JVM's class path, plus the
     * application's class; with slf4j-simple or without any SLF4J provider.
     */
    private static String classPath(boolean slf4jSimple) throws URISyntaxException {
        List<Class<?>> jars = new ArrayList<>(List.of(
                io.github.enhancedsqlite.EnhancedSqliteDriver.class,
                org.sqlite.SQLiteConnection.class,
                com.zaxxer.hikari.HikariConfig.class,
                io.github.resilience4j.retry.Retry.class,
                io.github.resilience4j.core.IntervalFunction.class,
                com.github.luben.zstd.Zstd.class,
                net.sf.jsqlparser.parser.CCJSqlParserUtil.class,
                org.slf4j.LoggerFactory.class,
                QuietAppMain.class));
        if (slf4jSimple) {
            jars.add(org.slf4j.simple.SimpleLogger.class);
        }
        List<String> entries = new ArrayList<>();
        for (Class<?> type : jars) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
