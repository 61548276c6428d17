package io.github.enhancedsqlite.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code spring.datasource.url} is a {@code jdbc:enhanced-sqlite:} URL: the application chose the driver. */
final class EnhancedSqliteUrlCondition extends SpringBootCondition {

    static final String URL_PROPERTY = "spring.datasource.url";
    static final String PREFIX = "jdbc:enhanced-sqlite:";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String url = context.getEnvironment().getProperty(URL_PROPERTY);
        if (url != null && url.startsWith(PREFIX)) {
            return ConditionOutcome.match(URL_PROPERTY + " starts with " + PREFIX);
        }
        return ConditionOutcome.noMatch(URL_PROPERTY + " is not a " + PREFIX + " URL");
    }
}
