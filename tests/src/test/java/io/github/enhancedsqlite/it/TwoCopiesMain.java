package io.github.enhancedsqlite.it;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Two copies of the driver in one JVM, each in a class loader of its own, as two web applications of one server.
 * {@code URL own-sqlite}: each copy also brings its own sqlite-jdbc (so its own copy of SQLite); the first holds the
 * file while the second tries to write, then the first closes its pools and the second writes. {@code URL
 * shared-sqlite THREADS WRITES}: both copies see one sqlite-jdbc from a parent class loader (a server's shared
 * library folder) and write the file at once. Prints one line per step.
 */
public final class TwoCopiesMain {

    private TwoCopiesMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        List<URL> sqlite = new ArrayList<>();
        List<URL> rest = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            URL location = new File(entry).toURI().toURL();
            (new File(entry).getName().startsWith("sqlite-jdbc-") ? sqlite : rest).add(location);
        }
        if (args[1].equals("own-sqlite")) {
            List<URL> all = new ArrayList<>(rest);
            all.addAll(sqlite);
            try (URLClassLoader first = new URLClassLoader(all.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
                    URLClassLoader second = new URLClassLoader(all.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
                AutoCloseable held = (AutoCloseable) call(first, "hold", url);
                System.out.println("second while the first holds: " + call(second, "tryToWrite", url));
                held.close();
                System.out.println("second after the first closed: " + call(second, "tryToWrite", url));
            }
        } else {
            int threads = Integer.parseInt(args[2]);
            int writes = Integer.parseInt(args[3]);
            try (URLClassLoader shared = new URLClassLoader(sqlite.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
                    URLClassLoader first = new URLClassLoader(rest.toArray(new URL[0]), shared);
                    URLClassLoader second = new URLClassLoader(rest.toArray(new URL[0]), shared)) {
                List<CompletableFuture<Object>> copies = new ArrayList<>();
                for (URLClassLoader copy : List.of(first, second)) {
                    copies.add(CompletableFuture.supplyAsync(() -> call(copy, "write", url, threads, writes),
                            task -> new Thread(task, "copy").start()));
                }
                List<Object> failures = new ArrayList<>();
                for (CompletableFuture<Object> copy : copies) {
                    failures.addAll((List<?>) copy.get());
                }
                System.out.println(failures.isEmpty() ? "written" : "failed " + failures.size() + ", first: " + failures.get(0));
            }
        }
    }

    private static Object call(ClassLoader copy, String method, Object... arguments) {
        try {
            for (Method candidate : Class.forName(TwoCopiesWork.class.getName(), true, copy).getMethods()) {
                if (candidate.getName().equals(method)) {
                    return candidate.invoke(null, arguments);
                }
            }
            throw new IllegalArgumentException(method);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
