package io.github.enhancedsqlite.logging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's provider when the application has none ({@link QuietLogging}): the loggers of the driver and of the
 * libraries it brings write to java.util.logging (HikariCP's INFO lines at FINE), every other logger is silent, as
 * SLF4J's own fallback would make it. Public with a public constructor because SLF4J instantiates it by name.
 */
public final class DriverOnlyProvider implements SLF4JServiceProvider {

    /** The driver's packages and those of its dependencies that log through SLF4J. */
    private static final List<String> DRIVER_LOGGERS = List.of("io.github.enhancedsqlite.", "com.zaxxer.hikari.",
            "io.github.resilience4j.", "net.sf.jsqlparser.");
    /** HikariCP's INFO lines report the pool's start and shutdown: the driver's business, not the application's. */
    private static final String POOL_LOGGERS = "com.zaxxer.hikari.";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = this::logger;

    public DriverOnlyProvider() {
    }

    private Logger logger(String name) {
        if (DRIVER_LOGGERS.stream().noneMatch(name::startsWith)) {
            return NOPLogger.NOP_LOGGER;
        }
        return loggers.computeIfAbsent(name, driver -> new JulLogger(driver, driver.startsWith(POOL_LOGGERS)));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: loggers are made when asked for
    }
}
