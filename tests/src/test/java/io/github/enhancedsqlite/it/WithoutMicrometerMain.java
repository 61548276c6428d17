package io.github.enhancedsqlite.it;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.management.ObjectName;

/**
 * Runs in a JVM whose class path lacks Micrometer: the driver must load, serve SQL, register its MBean and close
 * as usual. Prints what it saw for {@link WithoutMicrometerTest}.
 */
public final class WithoutMicrometerMain {

    private WithoutMicrometerMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            System.out.println("micrometer=present");
        } catch (ClassNotFoundException e) {
            System.out.println("micrometer=absent");
        }
        Path file = Path.of(args[0]);
        // as a monitored application has it: the driver then registers the MXBean when the pool opens
        ManagementFactory.getPlatformMBeanServer();
        try (Connection connection = DriverManager.getConnection("jdbc:enhanced-sqlite:" + file + "?compress=auto");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t(v TEXT)");
            statement.execute("INSERT INTO t VALUES ('works')");
            ObjectName name = new ObjectName("io.github.enhancedsqlite:type=Database,name="
                    + ObjectName.quote(file.toRealPath().toString()));
            System.out.println("mbean=" + ManagementFactory.getPlatformMBeanServer().isRegistered(name));
            System.out.println("activeConnections="
                    + ManagementFactory.getPlatformMBeanServer().getAttribute(name, "ActiveConnections"));
        }
        io.github.enhancedsqlite.EnhancedSqlite.shutdown();
        System.out.println("done");
    }
}
