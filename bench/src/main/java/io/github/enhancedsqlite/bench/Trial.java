package io.github.enhancedsqlite.bench;

/**
 * The operation under test, run {@code ops} times in a row. The loop lives inside the trial so the clock is read
 * once per round rather than once per operation, which would add its own cost to microsecond operations.
 */
@FunctionalInterface
interface Trial {

    void run(int ops) throws Exception;
}
