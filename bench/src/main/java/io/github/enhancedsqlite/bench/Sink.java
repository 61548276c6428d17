package io.github.enhancedsqlite.bench;

/** Keeps every value a trial reads observable, so no part of the timed work can be optimised away. */
final class Sink {

    private static long consumed;

    private Sink() {
    }

    static void consume(String value) {
        consumed += value.length();
    }

    static long consumed() {
        return consumed;
    }
}
