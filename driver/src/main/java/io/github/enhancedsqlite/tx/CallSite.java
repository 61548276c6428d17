package io.github.enhancedsqlite.tx;

import java.lang.StackWalker.StackFrame;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The code that runs a statement, as a number: a hash of the class, method and bytecode position of the innermost
 * frames of the calling thread's stack, the driver's own included. Two paths through an application that run the same
 * SQL get different numbers when they part within those frames; one path gets the same number every time for as long
 * as the JVM runs. Walking the stack costs microseconds, so {@link TransactionShapes} takes it only for a first
 * statement whose SQL alone has proved not to tell.
 */
final class CallSite {

    private static final StackWalker WALKER = StackWalker.getInstance();

    private CallSite() {
    }

    /** The calling thread's code path, as a number: its innermost {@code frames} frames. */
    static long ofThisThread(int frames) {
        return WALKER.walk(new Hash(frames));
    }

    private static final class Hash implements Function<Stream<StackFrame>, Long> {
        private final int frames;

        Hash(int frames) {
            this.frames = frames;
        }

        @Override
        public Long apply(Stream<StackFrame> stack) {
            long hash = 1;
            Iterator<StackFrame> walk = stack.limit(frames).iterator();
            while (walk.hasNext()) {
                StackFrame frame = walk.next();
                hash = 31 * hash + frame.getClassName().hashCode();
                hash = 31 * hash + frame.getMethodName().hashCode();
                hash = 31 * hash + frame.getByteCodeIndex();
            }
            return hash;
        }
    }
}
