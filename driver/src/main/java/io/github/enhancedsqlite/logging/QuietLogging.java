package io.github.enhancedsqlite.logging;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Binds SLF4J before the driver or HikariCP first logs, so that an application with no SLF4J provider sees neither
 * SLF4J's "No SLF4J providers were found" notice nor anything of the pool's on stderr, and still sees the driver's
 * warnings and errors. With a provider on the class path (or one named by {@code slf4j.provider}) it does nothing:
 * the application's logging decides. Without one it names {@link DriverOnlyProvider} as SLF4J's provider for the
 * moment SLF4J binds (the property is removed again at once), with SLF4J's own internal verbosity at WARN for that
 * moment unless the application set it, since naming a provider makes SLF4J report it at INFO.
 */
public final class QuietLogging {

    private static final String PROVIDER_PROPERTY = "slf4j.provider";
    private static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";
    /** A binding for slf4j-api 1.7: SLF4J 2 ignores it and says so, which the application must still be told. */
    private static final String LEGACY_BINDING = "org/slf4j/impl/StaticLoggerBinder.class";

    /** Class initialisation runs this once, whichever thread gets here first. */
    private static final boolean BOUND_HERE = bindIfNoProvider();

    private QuietLogging() {
    }

    /**
     * Called first by the classes through which an application reaches the driver (their static initialisers), so
     * SLF4J is bound before the first logger is made. True when the driver named SLF4J's provider.
     */
    public static boolean bind() {
        return BOUND_HERE;
    }

    private static boolean bindIfNoProvider() {
        ClassLoader slf4j = LoggerFactory.class.getClassLoader();
        if (System.getProperty(PROVIDER_PROPERTY) != null || hasProvider(slf4j)) {
            return false;
        }
        boolean verbositySet = System.getProperty(VERBOSITY_PROPERTY) != null;
        System.setProperty(PROVIDER_PROPERTY, DriverOnlyProvider.class.getName());
        if (!verbositySet) {
            System.setProperty(VERBOSITY_PROPERTY, "WARN");
        }
        try {
            LoggerFactory.getILoggerFactory();
        } finally {
            System.clearProperty(PROVIDER_PROPERTY);
            if (!verbositySet) {
                System.clearProperty(VERBOSITY_PROPERTY);
            }
        }
        return true;
    }

    /** As SLF4J looks: its service providers through its own class loader, and legacy bindings it would report. */
    private static boolean hasProvider(ClassLoader slf4j) {
        ClassLoader loader = slf4j != null ? slf4j : ClassLoader.getSystemClassLoader();
        try {
            if (ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isPresent()) {
                return true;
            }
        } catch (ServiceConfigurationError e) {
            return true; // a broken provider: SLF4J reports it, as it would without the driver
        }
        return loader.getResource(LEGACY_BINDING) != null;
    }
}
