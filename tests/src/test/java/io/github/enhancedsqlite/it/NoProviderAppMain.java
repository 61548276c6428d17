package io.github.enhancedsqlite.it;

import org.slf4j.LoggerFactory;

/**
 * For {@link QuietWithDriverJarTest}: an application without an SLF4J provider that uses the driver
 * ({@link QuietAppMain}'s ordinary run), then logs a warning through SLF4J itself, and prints the system properties
 * the driver set while SLF4J bound: the application's own logging must stay as SLF4J leaves it without a provider
 * (silent), and nothing of the driver's binding may stay behind.
 */
public final class NoProviderAppMain {

    private NoProviderAppMain() {
    }

    public static void main(String[] args) throws Exception {
        QuietAppMain.main(args);
        LoggerFactory.getLogger("application").warn("the application's own warning");
        System.out.println("slf4j.provider=" + System.getProperty("slf4j.provider"));
        System.out.println("slf4j.internal.verbosity=" + System.getProperty("slf4j.internal.verbosity"));
    }
}
