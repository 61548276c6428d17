package io.github.enhancedsqlite.micrometer;

import io.github.enhancedsqlite.metrics.MicrometerMeters;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where the driver publishes its figures as Micrometer meters ({@code enhancedsqlite.*}, tagged {@code db=<path>}).
 * A package of its own so that only an application that has Micrometer ever loads a class naming it; the driver's
 * module reads Micrometer with {@code requires static}.
 */
public final class MicrometerMetrics {

    /** The tag naming the database on every meter. */
    public static final String TAG = MicrometerMeters.TAG;

    private MicrometerMetrics() {
    }

    /**
     * Publishes to {@code registry} instead of {@code Metrics.globalRegistry} (for example the registry of a Spring
     * application context). Databases already open move their meters there; null goes back to the global registry.
     */
    public static void useRegistry(MeterRegistry registry) {
        MicrometerMeters.useRegistry(registry);
    }

    /** The registry meters go to now. */
    public static MeterRegistry registry() {
        return MicrometerMeters.registry();
    }
}
