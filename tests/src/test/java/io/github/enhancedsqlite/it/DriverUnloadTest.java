package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 point 5: after {@code EnhancedSqlite.shutdown()} nothing of the driver remains in the JVM, so an
 * application server can unload the class loader that loaded it (a redeploy). Runs in a child JVM, where the driver
 * lives in a class loader of its own and the JVM's shutdown hooks can be read.
 */
class DriverUnloadTest {

    @TempDir
    Path dir;

    @Test
    void afterShutdownNoThreadHookOrMBeanHoldsTheDriverAndItsClassLoaderIsCollected() throws Exception {
        ChildJvm.Result child = ChildJvm.run(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"),
                ChildJvm.testClassPath(), UnloadDriverMain.class.getName(), dir.resolve("app.db").toString());

        String output = child.output();
        assertThat(child.exitCode()).as(output).isZero();
        assertThat(output).as("the exit hook is installed while a pool is open").contains("hooksWhileOpen=1");
        assertThat(output).as("the pool's timeout thread ran the transaction's deadline")
                .containsPattern("threadsWhileOpen=\\[.*enhanced-sqlite-timeouts");
        assertThat(output).as("and removed when the last pool closes").contains("hooksAfterShutdown=0");
        assertThat(output).contains("threadsAfterShutdown=[]");
        assertThat(output).contains("mbeansAfterShutdown=[]");
        assertThat(output).contains("loaderCollected=true");
    }
}
