package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 point 2: Micrometer is an optional dependency. A child JVM runs with this module's test class path minus
 * every Micrometer jar; the driver works and publishes its MBean there all the same.
 */
class WithoutMicrometerTest {

    @TempDir
    Path dir;

    @Test
    void theDriverWorksWithoutMicrometerOnTheClassPath() throws Exception {
        String withoutMicrometer = Arrays.stream(ChildJvm.testClassPath().split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer") && !entry.contains("HdrHistogram")
                        && !entry.contains("LatencyUtils"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutMicrometer).isNotEqualTo(ChildJvm.testClassPath());

        ChildJvm.Result result = ChildJvm.run(withoutMicrometer, WithoutMicrometerMain.class.getName(),
                dir.resolve("plain.db").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("micrometer=absent", "mbean=true", "activeConnections=1", "done");
    }
}
