package io.github.enhancedsqlite.it;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes the JVM's platform MBean server before any test class runs, as a monitored application (or a JMX agent)
 * has it from its start. The driver registers a pool's MXBean at once only when that server exists; otherwise a
 * few seconds later, so that a short-lived process never pays for JMX. Tests read figures through JMX right after
 * opening a pool. Registered for every test class through junit-platform.properties (extension auto-detection).
 */
public final class PlatformMBeanServer implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        ManagementFactory.getPlatformMBeanServer();
    }
}
