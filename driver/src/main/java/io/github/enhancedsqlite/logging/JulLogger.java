package io.github.enhancedsqlite.logging;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.Marker;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger writing to the java.util.logging logger of the same name; optionally INFO at FINE. */
final class JulLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient Logger target;
    private final boolean infoAsDebug;

    JulLogger(String name, boolean infoAsDebug) {
        this.name = name;
        this.target = Logger.getLogger(name);
        this.infoAsDebug = infoAsDebug;
    }

    @Override
    public boolean isTraceEnabled() {
        return target.isLoggable(Level.FINEST);
    }

    @Override
    public boolean isDebugEnabled() {
        return target.isLoggable(Level.FINE);
    }

    @Override
    public boolean isInfoEnabled() {
        return target.isLoggable(infoAsDebug ? Level.FINE : Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return target.isLoggable(Level.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
        return target.isLoggable(Level.SEVERE);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return JulLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, Marker marker, String message,
            Object[] arguments, Throwable throwable) {
        Level written = switch (level) {
            case ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case INFO -> infoAsDebug ? Level.FINE : Level.INFO;
            case DEBUG -> Level.FINE;
            case TRACE -> Level.FINEST;
        };
        if (!target.isLoggable(written)) {
            return;
        }
        LogRecord record = new LogRecord(written, MessageFormatter.basicArrayFormat(message, arguments));
        record.setLoggerName(name);
        record.setThrown(throwable);
        // the class that logged, not this adapter or SLF4J's, as slf4j-jdk14 reports it
        callerOutsideSlf4j().ifPresent(caller -> {
            record.setSourceClassName(caller.getClassName());
            record.setSourceMethodName(caller.getMethodName());
        });
        target.log(record);
    }

    private static Optional<StackWalker.StackFrame> callerOutsideSlf4j() {
        return StackWalker.getInstance().walk(frames -> frames
                .dropWhile(frame -> frame.getClassName().equals(JulLogger.class.getName())
                        || frame.getClassName().startsWith("org.slf4j."))
                .findFirst());
    }
}
