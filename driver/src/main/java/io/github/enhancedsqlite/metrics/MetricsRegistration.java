package io.github.enhancedsqlite.metrics;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one database's figures while its pool is open: as an MXBean on the platform MBean server and, when
 * Micrometer is on the class path, as meters. Publishing never fails the pool: a figure that cannot be published
 * is logged and the database works on. The MXBean is registered at once when the JVM has its MBean server already
 * (an application or agent that uses JMX made it); otherwise {@value #MBEAN_DELAY_MILLIS} ms later, off the
 * first statement's path: making the platform MBean server loads several hundred classes, which would double the
 * start of a short-lived process that never looks at JMX.
 */
public final class MetricsRegistration implements AutoCloseable {

    public static final String DOMAIN = "io.github.enhancedsqlite";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRegistration.class);
    /** Checked once, without initialising anything of Micrometer: the driver must run where it is absent. */
    private static final boolean MICROMETER = isPresent("io.micrometer.core.instrument.MeterRegistry");

    static final long MBEAN_DELAY_MILLIS = 5_000;

    private final DatabaseMetrics metrics;
    /** Guarded by this: null until registered, and when JMX refused it. */
    private ObjectName name;
    /** Guarded by this: the registration waiting to run; null once it ran or when there was none. */
    private ScheduledFuture<?> pending;
    /** Guarded by this: a registration that runs late must not publish a closed pool's figures. */
    private boolean closed;

    private MetricsRegistration(DatabaseMetrics metrics) {
        this.metrics = metrics;
    }

    /** Publishes now: the MXBean, and the meters when Micrometer is present. */
    private static MetricsRegistration publish(DatabaseMetrics metrics) {
        MetricsRegistration registration = new MetricsRegistration(metrics);
        registration.name = registerMBean(metrics);
        registration.bindMeters();
        return registration;
    }

    /**
     * Publishes the meters now, and the MXBean now when the JVM has an MBean server, else on {@code scheduler} a
     * moment later (see the class comment).
     */
    public static MetricsRegistration publishSoon(DatabaseMetrics metrics, ScheduledExecutorService scheduler) {
        if (!MBeanServerFactory.findMBeanServer(null).isEmpty()) {
            return publish(metrics);
        }
        MetricsRegistration registration = new MetricsRegistration(metrics);
        registration.bindMeters();
        synchronized (registration) {
            registration.pending = scheduler.schedule(new LateRegistration(registration), MBEAN_DELAY_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        return registration;
    }

    private synchronized void registerLate() {
        if (!closed) {
            pending = null;
            name = registerMBean(metrics);
        }
    }

    private void bindMeters() {
        if (MICROMETER) {
            try {
                MicrometerMeters.bind(metrics);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Could not bind the figures of {} to Micrometer: {}", metrics.getDatabase(), e.toString());
            }
        }
    }

    /** The name the database's MXBean is registered under; null if JMX refused it or it is not registered yet. */
    public synchronized ObjectName objectName() {
        return name;
    }

    @Override
    public void close() {
        ObjectName registered;
        synchronized (this) {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
            registered = name;
            name = null;
        }
        if (MICROMETER) {
            try {
                MicrometerMeters.unbind(metrics);
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("unbinding from Micrometer failed", e);
            }
        }
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (JMException e) {
                LOG.debug("unregistering {} failed", registered, e);
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

    /**
     * The registration a moment later, on the driver's timer: a named class, not a method reference
     * (docs/ARCHITECTURE.md, "Start-up cost").
     */
    private static final class LateRegistration implements Runnable {
        private final MetricsRegistration registration;

        LateRegistration(MetricsRegistration registration) {
            this.registration = registration;
        }

        @Override
        public void run() {
            registration.registerLate();
        }
    }
}
