package io.github.enhancedsqlite.dropin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.jul.JULServiceProvider;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of the drop-in jar (whose SLF4J is relocated, so it serves the driver alone): logs go to
 * java.util.logging, as slf4j-jdk14 sends them, except that HikariCP's INFO lines ("Starting...", "Added
 * connection", "Start completed.", "Shutdown initiated...") go at DEBUG (FINE). The pool is the driver's business,
 * not the application's: an ordinary program prints nothing on stderr, while every warning and error still does.
 */
public final class QuietPoolLogging implements SLF4JServiceProvider {

    /** HikariCP's loggers; the relocation of the drop-in jar rewrites this name as it rewrites HikariCP's classes. */
    private static final String POOL_LOGGERS = "com.zaxxer.hikari.";

    private final JULServiceProvider jul = new JULServiceProvider();
    private final Map<String, Logger> poolLoggers = new ConcurrentHashMap<>();
    private volatile ILoggerFactory loggers;

    @Override
    public void initialize() {
        jul.initialize();
        ILoggerFactory julLoggers = jul.getLoggerFactory();
        loggers = name -> name.startsWith(POOL_LOGGERS)
                ? poolLoggers.computeIfAbsent(name, pool -> new InfoAsDebugLogger(julLoggers.getLogger(pool)))
                : julLoggers.getLogger(name);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return jul.getMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return jul.getMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion() {
        return jul.getRequestedApiVersion();
    }
}
