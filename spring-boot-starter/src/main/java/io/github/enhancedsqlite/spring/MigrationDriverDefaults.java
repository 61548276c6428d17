package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.EnhancedSqliteDriver;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Names the driver class for every {@code jdbc:enhanced-sqlite:} URL Boot reads ({@code spring.datasource.url},
 * {@code spring.flyway.url}, {@code spring.liquibase.url}) unless the application named one. Boot guesses a driver
 * class from a URL's prefix and knows no "enhanced-sqlite": without this, Flyway or Liquibase given a URL of their
 * own get a DataSource without a driver. Added last, so every property source of the application wins.
 */
public final class MigrationDriverDefaults implements EnvironmentPostProcessor {

    private static final String SOURCE = "enhanced-sqlite driver class defaults";
    private static final String[] URL_PREFIXES = {"spring.datasource", "spring.flyway", "spring.liquibase"};

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (String prefix : URL_PREFIXES) {
            String url = environment.getProperty(prefix + ".url");
            if (url != null && url.startsWith(EnhancedSqliteUrlCondition.PREFIX)) {
                defaults.put(prefix + ".driver-class-name", EnhancedSqliteDriver.class.getName());
            }
        }
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
        }
    }
}
