package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code enhancedSqlite} health indicator, when Boot's health support (Actuator) is on the class path and the
 * DataSource is the driver's. {@code management.health.enhancedsqlite.enabled=false} turns it off.
 */
@AutoConfiguration(after = EnhancedSqliteAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EnhancedSqliteDataSource.class)
@ConditionalOnEnabledHealthIndicator("enhancedsqlite")
public class EnhancedSqliteHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "enhancedSqliteHealthIndicator")
    HealthIndicator enhancedSqliteHealthIndicator(EnhancedSqliteDataSource dataSource) {
        return new EnhancedSqliteHealthIndicator(dataSource);
    }
}
