package io.github.enhancedsqlite.it.metrics;

import io.github.enhancedsqlite.DatabaseMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.management.JMX;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** A database's figures as a JMX client sees them, and a bounded wait for background work to show in them. */
public final class Figures {

    /** Bounds every wait for the background task: a hang guard, never a statement about speed. */
    private static final long GIVE_UP_SECONDS = 30;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Figures() {
    }

    /** The pool key of a database file: its canonical real path. */
    public static String key(Path file) throws IOException {
        return file.toRealPath().toString();
    }

    /** The name the driver registers a database under, as documented. */
    public static ObjectName name(String poolKey) throws MalformedObjectNameException {
        return new ObjectName("io.github.enhancedsqlite:type=Database,name=" + ObjectName.quote(poolKey));
    }

    public static boolean registered(String poolKey) throws MalformedObjectNameException {
        return ManagementFactory.getPlatformMBeanServer().isRegistered(name(poolKey));
    }

    /** Every database MBean registered now. */
    public static Set<ObjectName> allRegistered() throws MalformedObjectNameException {
        return ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("io.github.enhancedsqlite:type=Database,*"), null);
    }

    /** A JMX proxy: every getter is a remote-style attribute read through the platform MBean server. */
    public static DatabaseMXBean of(String poolKey) throws MalformedObjectNameException {
        return JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), name(poolKey), DatabaseMXBean.class);
    }

    public static DatabaseMXBean of(Path file) throws IOException, MalformedObjectNameException {
        return of(key(file));
    }

    /** Polls until the condition holds; fails naming what never happened. */
    public static void await(String what, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting until " + what);
            }
            LockSupport.parkNanos(POLL_NANOS); // the polling period, not a guess at how long the work takes
        }
    }
}
