package io.github.enhancedsqlite.metrics;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one database's figures while its pool is open: as an MXBean on the platform MBean server and, when
 * Micrometer is on the class path, as meters. Publishing never fails the pool: a figure that cannot be published
 * is logged and the database works on.
 */
public final class MetricsRegistration implements AutoCloseable {

    public static final String DOMAIN = "io.github.enhancedsqlite";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRegistration.class);
    /** Checked once, without initialising anything of Micrometer: the driver must run where it is absent. */
    private static final boolean MICROMETER = isPresent("io.micrometer.core.instrument.MeterRegistry");

    private final DatabaseMetrics metrics;
    private final ObjectName name;

    private MetricsRegistration(DatabaseMetrics metrics, ObjectName name) {
        this.metrics = metrics;
        this.name = name;
    }

    public static MetricsRegistration publish(DatabaseMetrics metrics) {
        ObjectName name = registerMBean(metrics);
        if (MICROMETER) {
            try {
                MicrometerMeters.bind(metrics);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Could not bind the figures of {} to Micrometer: {}", metrics.getDatabase(), e.toString());
            }
        }
        return new MetricsRegistration(metrics, name);
    }

    /** The name the database's MXBean is registered under; null if JMX refused it. */
    public ObjectName objectName() {
        return name;
    }

    @Override
    public void close() {
        if (MICROMETER) {
            try {
                MicrometerMeters.unbind(metrics);
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("unbinding from Micrometer failed", e);
            }
        }
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("unregistering {} failed", name, e);
            }
        }
    }

    /**
     * Registers under {@code type=Database,name="<path>"}. The pool registry keeps one pool per path, but a second
     * copy of the driver in another class loader (two web apps in one server) may open the same file: then an
     * {@code instance} key keeps both names unique.
     */
    private static ObjectName registerMBean(DatabaseMetrics metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String base = DOMAIN + ":type=Database,name=" + ObjectName.quote(metrics.getDatabase());
        try {
            for (int instance = 1; ; instance++) {
                ObjectName name = new ObjectName(instance == 1 ? base : base + ",instance=" + instance);
                try {
                    server.registerMBean(metrics, name);
                    return name;
                } catch (InstanceAlreadyExistsException taken) {
                    // another pool of the same path lives in another class loader: try the next instance number
                }
            }
        } catch (JMException | RuntimeException e) {
            LOG.warn("Could not register the JMX MBean of {}: {}", metrics.getDatabase(), e.toString());
            return null;
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, MetricsRegistration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
