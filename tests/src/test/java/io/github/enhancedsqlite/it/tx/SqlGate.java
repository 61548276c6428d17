package io.github.enhancedsqlite.it.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sqlite.Function;

/**
 * A SQL function {@code gate(i)} that returns {@code i} but holds its call for 1 until the test releases it: a
 * statement that runs for exactly as long as the test wants, so another thread can act while it runs. Registering
 * it hands sqlite-jdbc's connection out, so the lease's connection is evicted at its end, not lent again.
 */
final class SqlGate {

    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    void registerOn(Connection connection) throws SQLException {
        Function.create(connection, "gate", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                int i = value_int(0);
                if (i == 1) {
                    running.countDown();
                    try {
                        if (!released.await(TxDb.HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                            throw new SQLException("the test never released the gate");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted at the gate", e);
                    }
                }
                result(i);
            }
        });
    }

    /** Returns once a statement is held at the gate. */
    void awaitRunning() throws InterruptedException {
        assertThat(running.await(TxDb.HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("a statement reached the gate").isTrue();
    }

    void release() {
        released.countDown();
    }
}
