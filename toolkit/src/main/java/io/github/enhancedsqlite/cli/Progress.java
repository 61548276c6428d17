package io.github.enhancedsqlite.cli;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * A progress bar on stderr for work that may take more than a second. Nothing is drawn during the first second,
 * so quick runs stay quiet, and redraws are throttled so the bar never costs more than the work it shows. A
 * small own class rather than a library: the one well-kept candidate (me.tongfei:progressbar) brings JLine and
 * its native terminal code into a drop-in jar that must hold nothing but relocatable classes.
 */
final class Progress implements AutoCloseable {

    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final long total;
    private final long started = System.nanoTime();
    private long done;
    private long lastDrawn;
    private boolean drawn;

    Progress(PrintWriter err, String label, long total, String unit) {
        this.err = err;
        this.label = label;
        this.total = Math.max(total, 0);
        this.unit = unit;
    }

    synchronized void advance(long amount) {
        done += amount;
        maybeDraw();
    }

    synchronized void set(long value) {
        done = value;
        maybeDraw();
    }

    private void maybeDraw() {
        long now = System.nanoTime();
        if (now - started < QUIET_NANOS || now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        draw();
    }

    private void draw() {
        long shown = total > 0 ? Math.min(done, total) : done;
        int filled = total > 0 ? (int) (WIDTH * shown / total) : 0;
        String percent = total > 0 ? String.format("%3d%%", 100 * shown / total) : "    ";
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        err.print("\r" + label + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + " "
                + shown + (total > 0 ? "/" + total : "") + " " + unit + " " + seconds + "s");
        err.flush();
        drawn = true;
    }

    /** Draws the final state if a bar was shown, and ends its line. */
    @Override
    public synchronized void close() {
        if (drawn) {
            draw();
            err.println();
            err.flush();
        }
    }
}
