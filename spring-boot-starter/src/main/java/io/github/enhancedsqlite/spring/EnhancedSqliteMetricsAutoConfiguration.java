package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The driver's {@code enhancedsqlite.*} meters in the application's Micrometer registry, when Boot's Micrometer
 * support is on the class path and the DataSource is the driver's.
 */
@AutoConfiguration(after = EnhancedSqliteAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class})
@ConditionalOnBean(EnhancedSqliteDataSource.class)
public class EnhancedSqliteMetricsAutoConfiguration {

    @Bean
    RegistryBinder enhancedSqliteMeterBinder() {
        return new RegistryBinder();
    }
}
