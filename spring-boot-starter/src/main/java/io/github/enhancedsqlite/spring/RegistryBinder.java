package io.github.enhancedsqlite.spring;

import io.github.enhancedsqlite.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.DisposableBean;

/**
 * Points the driver's meters at the application's registry: Boot hands every MeterBinder bean the registry it
 * builds. When the context closes, the driver goes back to Micrometer's global registry, unless another context
 * has taken the driver's meters since.
 */
final class RegistryBinder implements MeterBinder, DisposableBean {

    private volatile MeterRegistry bound;

    @Override
    public void bindTo(MeterRegistry registry) {
        bound = registry;
        MicrometerMetrics.useRegistry(registry);
    }

    @Override
    public void destroy() {
        MeterRegistry registry = bound;
        if (registry != null && MicrometerMetrics.registry() == registry) {
            MicrometerMetrics.useRegistry(null);
        }
    }
}
