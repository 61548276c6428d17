package io.github.enhancedsqlite.it;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.management.ObjectName;

/**
 * Child JVM for {@link DriverUnloadTest}: loads the driver in a class loader of its own, runs
 * {@link UnloadScenario} in it, and reports (one {@code key=value} per line) the shutdown hooks, threads and MBeans
 * left behind, and whether that class loader could then be collected. Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} to read the JVM's shutdown hooks.
 */
public final class UnloadDriverMain {

    /** Full collections to try before concluding that something still holds the class loader. */
    private static final int COLLECTIONS = 20;

    private UnloadDriverMain() {
    }

    public static void main(String[] args) throws Exception {
        // The JDK starts its "process reaper" thread with the context class loader of the first thread that starts a
        // process, and sqlite-jdbc starts one (uname) when it loads its native library: started here first, as
        // Tomcat's JreMemoryLeakPreventionListener does, that JDK thread does not hold the deployed class loader.
        new ProcessBuilder("uname").start().waitFor();
        WeakReference<ClassLoader> unloaded = runDeployed(args[0]);
        forgetLastRecordType();
        for (int i = 0; i < COLLECTIONS && unloaded.get() != null; i++) {
            System.gc();
        }
        System.out.println("loaderCollected=" + (unloaded.get() == null));
    }

    /** Deploys, uses and undeploys the driver; only a weak reference to its class loader survives this frame. */
    private static WeakReference<ClassLoader> runDeployed(String database) throws Exception {
        URLClassLoader webApp = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader());
        Thread main = Thread.currentThread();
        ClassLoader own = main.getContextClassLoader();
        main.setContextClassLoader(webApp); // as an application server runs a web application's code
        try {
            Class<?> scenario = Class.forName(UnloadScenario.class.getName(), true, webApp);
            scenario.getMethod("open", String.class).invoke(null, database);
            System.out.println("hooksWhileOpen=" + driverHooks(webApp));
            System.out.println("threadsWhileOpen=" + driverThreads(webApp));
            scenario.getMethod("shutdown").invoke(null);
        } finally {
            main.setContextClassLoader(own);
        }
        System.out.println("hooksAfterShutdown=" + driverHooks(webApp));
        System.out.println("threadsAfterShutdown=" + driverThreads(webApp));
        System.out.println("mbeansAfterShutdown=" + mbeans());
        webApp.close();
        return new WeakReference<>(webApp);
    }

    /**
     * JDK 17's record support (java.lang.runtime.ObjectMethods) keeps, in a one-entry cache of a static method
     * handle, the type of the last record class whose equals() was first called; until another record's is, that
     * class (here the driver's ColumnRef) and its class loader stay reachable. Newer JDKs cache it softly. As with
     * Tomcat's JreMemoryLeakPreventionListener, the server (here: this class) moves that cache on to a type of its own.
     */
    private static void forgetLastRecordType() {
        if (!new Marker(1).equals(new Marker(1))) {
            throw new AssertionError("a record equals itself");
        }
    }

    private record Marker(int value) {
    }

    private static URL[] classPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        return urls.toArray(new URL[0]);
    }

    /**
     * The JVM's shutdown hooks (java.lang.ApplicationShutdownHooks keeps them in a static map) that belong to the
     * deployed driver: made by its code, or holding its class loader. The JDK's own (java.util.logging's cleaner,
     * installed when anything first logs through it) are not counted.
     */
    private static int driverHooks(ClassLoader webApp) throws Exception {
        Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
        Field field = hooks.getDeclaredField("hooks");
        field.setAccessible(true);
        Map<?, ?> registered;
        synchronized (hooks) {
            registered = Map.copyOf((Map<?, ?>) field.get(null));
        }
        int count = 0;
        for (Object key : registered.keySet()) {
            Thread hook = (Thread) key;
            if (hook.getContextClassLoader() == webApp || hook.getClass().getClassLoader() == webApp
                    || hook.getName().contains("enhanced-sqlite")) {
                count++;
            }
        }
        return count;
    }

    /** Live threads of the deployed driver: made by its code, running it, or holding its class loader. */
    private static TreeSet<String> driverThreads(ClassLoader webApp) {
        TreeSet<String> names = new TreeSet<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread == Thread.currentThread() || !thread.isAlive()) {
                return;
            }
            boolean driverCode = false;
            for (StackTraceElement frame : stack) {
                driverCode |= frame.getClassName().startsWith("io.github.enhancedsqlite.")
                        || frame.getClassName().startsWith("com.zaxxer.hikari.");
            }
            if (driverCode || thread.getContextClassLoader() == webApp || thread.getName().contains("enhanced-sqlite")
                    || thread.getName().contains("Hikari")) {
                names.add(thread.getName());
            }
        });
        return names;
    }

    private static TreeSet<String> mbeans() throws Exception {
        TreeSet<String> names = new TreeSet<>();
        for (String domain : new String[] {"io.github.enhancedsqlite:*", "com.zaxxer.hikari:*"}) {
            ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(domain), null)
                    .forEach(name -> names.add(name.toString()));
        }
        return names;
    }
}
