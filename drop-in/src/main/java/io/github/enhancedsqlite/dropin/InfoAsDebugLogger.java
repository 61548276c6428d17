package io.github.enhancedsqlite.dropin;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LocationAwareLogger;

/** A logger that writes its INFO calls at DEBUG and every other level as it is. */
final class InfoAsDebugLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient Logger target;

    InfoAsDebugLogger(Logger target) {
        this.target = target;
        this.name = target.getName();
    }

    @Override
    public boolean isTraceEnabled() {
        return target.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return target.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return target.isDebugEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return target.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return target.isErrorEnabled();
    }

    /** Names this class as the caller's boundary, so java.util.logging reports HikariCP's class as the source. */
    @Override
    protected String getFullyQualifiedCallerName() {
        return InfoAsDebugLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
            Throwable throwable) {
        Level written = level == Level.INFO ? Level.DEBUG : level;
        if (target instanceof LocationAwareLogger located) {
            located.log(marker, getFullyQualifiedCallerName(), written.toInt(), message, arguments, throwable);
        } else {
            target.atLevel(written).setCause(throwable).log(message, arguments);
        }
    }
}
