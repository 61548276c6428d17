package io.github.enhancedsqlite.tx;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Whether the thread holding the writer turn is stuck behind a lock of the application that the thread waiting for the
 * turn holds: a cycle no wait can end, which plain sqlite-jdbc ends when its busy timeout runs out and the driver's
 * writer would end only after {@code writerTimeout}. The JVM knows the owner of the monitor or the {@code
 * java.util.concurrent} lock a blocked thread waits for; one look costs tens of microseconds, so waiters look only
 * now and then ({@link WriterGate}). Only a direct wait is seen: a cycle through a third thread may yet end, if that
 * thread gives up on a timed wait.
 */
final class LockCycle {

    private LockCycle() {
    }

    /**
     * The name of the lock {@code blocked} waits for when {@code owner} holds it, else null. A thread that is running
     * waits for nothing; the JVM is asked only about one that is not.
     */
    static String lockHeldBy(Thread blocked, Thread owner) {
        Thread.State state = blocked.getState();
        if (state != Thread.State.BLOCKED && state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return null;
        }
        ThreadInfo info = Threads.BEAN.getThreadInfo(blocked.getId());
        if (info == null || info.getLockOwnerId() != owner.getId()) {
            return null;
        }
        return info.getLockName();
    }

    /** Loaded at the first look: JMX's classes cost a short-lived process start-up time it would rarely need them. */
    private static final class Threads {
        static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    }
}
