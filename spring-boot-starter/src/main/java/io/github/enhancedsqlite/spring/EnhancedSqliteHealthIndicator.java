package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.DatabaseMXBean;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Up when a pooled connection of the database answers; the details are the database's own figures (those JMX and
 * Micrometer show), so a health check also tells how busy the pool and the writer turn are.
 */
final class EnhancedSqliteHealthIndicator extends AbstractHealthIndicator {

    private final DataSource dataSource;

    EnhancedSqliteHealthIndicator(DataSource dataSource) {
        super("enhanced-sqlite health check failed");
        this.dataSource = dataSource;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMXBean database = connection.unwrap(DatabaseMXBean.class);
            builder.status(connection.isValid(0) ? "UP" : "DOWN")
                    .withDetail("database", database.getDatabase())
                    .withDetail("activeConnections", database.getActiveConnections())
                    .withDetail("idleConnections", database.getIdleConnections())
                    .withDetail("threadsAwaitingConnection", database.getThreadsAwaitingConnection())
                    .withDetail("writerWaits", database.getWriterWaits())
                    .withDetail("busyRollbacks", database.getBusyRollbacks())
                    .withDetail("compressionRatio", database.getCompressionRatio());
        }
    }
}
