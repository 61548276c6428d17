package io.github.enhancedsqlite.cli;

/** Ends a command with a sentence for the user (no stack trace) and one of the {@link ExitCodes}. */
final class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    ToolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    ToolException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
