/**
 * The enhanced SQLite JDBC driver. The application sees two packages: {@code io.github.enhancedsqlite} (the
 * driver, the data source, the static helpers, the exceptions and the JMX view of a database) and
 * {@code io.github.enhancedsqlite.micrometer} (where meters go, for applications that have Micrometer). Everything
 * else (config, pool, jdbc, tx, compress, metrics, maintenance, natives, …) is internal and may change in any release.
 */
// resilience4j and Micrometer ship no module descriptor; their Automatic-Module-Name is stable.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.enhancedsqlite {
    requires transitive java.sql;
    requires java.management;
    // Profile "auto" reads the machine's physical memory (com.sun.management.OperatingSystemMXBean).
    requires jdk.management;
    requires org.xerial.sqlitejdbc;
    requires com.zaxxer.hikari;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires com.github.luben.zstd_jni;
    requires net.sf.jsqlparser;
    requires org.slf4j;
    // Build time only: the @Forward annotations (source retention) that codegen's processor turns into the
    // forwarding classes of package jdbc; nothing of it is needed at run time.
    requires static io.github.enhancedsqlite.codegen;
    // Optional: the driver runs without Micrometer; only metrics/MicrometerMeters and the micrometer package name it.
    // Transitive because MicrometerMetrics.useRegistry takes a MeterRegistry: an application that calls it reads it.
    requires static transitive micrometer.core;
    // Optional: the plugins that teach Flyway and Liquibase the URL (packages flyway and liquibase, not exported).
    // Flyway's jar names no module, so its name comes from the file name. They are registered in META-INF/services
    // only, for the class path where these tools run: a `provides` here would make the module unresolvable on a
    // module path without the tool, since the service type's module must be readable.
    requires static flyway.core;
    requires static liquibase.core;

    exports io.github.enhancedsqlite;
    exports io.github.enhancedsqlite.micrometer;
    // SLF4J instantiates by name the provider the driver gives it when the application has none (logging/QuietLogging),
    // which looks for the application's providers as SLF4J does.
    exports io.github.enhancedsqlite.logging to org.slf4j;
    uses org.slf4j.spi.SLF4JServiceProvider;

    provides java.sql.Driver with io.github.enhancedsqlite.EnhancedSqliteDriver;
}
