package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.EnhancedSqliteDataSource;
import io.github.enhancedsqlite.InvalidSettingException;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * The application's DataSource when {@code spring.datasource.url} is a {@code jdbc:enhanced-sqlite:} URL: the
 * driver's own {@link EnhancedSqliteDataSource}, which pools per database file. It runs before Boot's
 * DataSourceAutoConfiguration, whose pooled DataSource then backs off (it is conditional on there being none), so
 * no second pool holds connections in front of the driver's. An application that defines its own DataSource keeps it.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(EnhancedSqliteDataSource.class)
@Conditional(EnhancedSqliteUrlCondition.class)
public class EnhancedSqliteAutoConfiguration {

    /** Closed with the context: the pool checkpoints its WAL and leaves no {@code -wal} or {@code -shm} file. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    EnhancedSqliteDataSource dataSource(Environment environment) throws InvalidSettingException {
        EnhancedSqliteDataSource dataSource =
                new EnhancedSqliteDataSource(environment.getProperty(EnhancedSqliteUrlCondition.URL_PROPERTY));
        dataSource.setProperties(DriverSettings.from(environment));
        return dataSource;
    }
}
