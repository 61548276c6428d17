package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 4: a program that uses the drop-in jar prints nothing of the driver's on stderr in an ordinary
 * run (HikariCP's start and shutdown lines are DEBUG), and still prints a warning when one is due. A child JVM
 * whose class path is the drop-in jar and one application class ({@link QuietAppMain}, on java.sql alone), with
 * java.util.logging as the JDK configures it (INFO and above to stderr).
 */
class QuietByDefaultTest {

    private static String classPath;

    @BeforeAll
    static void classPath() throws Exception {
        String property = System.getProperty("enhancedsqlite.allJar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            fail("The drop-in jar " + property + " does not exist: build it with `mvn verify` (package phase of drop-in/).");
        }
        Path appClasses = Path.of(QuietAppMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        classPath = Path.of(property).toAbsolutePath() + File.pathSeparator + appClasses;
    }

    @Test
    void anOrdinaryRunPrintsNothingOnStderr(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath, QuietAppMain.class.getName(), dir.resolve("app.db").toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=1", "closed");
        assertThat(run.stderr()).isEmpty();
    }

    /** A pool of fixed size (minimumIdle = maximumPoolSize) made HikariCP warn that its idle timeout has no effect. */
    @Test
    void aFixedSizePoolPrintsNothingOnStderr(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath, QuietAppMain.class.getName(),
                dir.resolve("app.db") + "?minimumIdle=3&maximumPoolSize=3");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=1", "closed");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void aWarningDueIsStillPrinted(@TempDir Path dir) throws Exception {
        ChildJvm.Streams run = ChildJvm.runApart(classPath, QuietAppMain.class.getName(),
                dir.resolve("slow.db").toString(), "slow");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("rows=2000000");
        assertThat(run.stderr()).contains("WARNING: Slow statement on").contains("slowStatementThreshold=1 ms")
                .doesNotContain("INFO");
    }
}
