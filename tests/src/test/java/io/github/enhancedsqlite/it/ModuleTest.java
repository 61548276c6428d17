package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.zaxxer.hikari.HikariDataSource;
import io.github.enhancedsqlite.EnhancedSqliteDriver;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import java.lang.management.ManagementFactory;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;

/**
 * The product jar is a named module that shows the application only its API packages. Read from what the build
 * produced (the driver's jar, or its classes directory when only {@code test} ran), and run on a module path.
 */
class ModuleTest {

    private static final String MODULE = "io.github.enhancedsqlite";

    private static Path locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor() throws URISyntaxException {
        ModuleReference reference = ModuleFinder.of(locationOf(EnhancedSqliteDriver.class)).find(MODULE)
                .orElseThrow(() -> new AssertionError("the driver has no module " + MODULE));
        return reference.descriptor();
    }

    @Test
    void onlyTheApiPackagesAreExported() throws Exception {
        ModuleDescriptor descriptor = descriptor();

        assertThat(descriptor.isAutomatic()).as("a declared module, not an automatic one").isFalse();
        assertThat(descriptor.exports().stream().filter(exports -> !exports.isQualified()).map(Exports::source))
                .containsExactlyInAnyOrder(MODULE, MODULE + ".micrometer");
        // the one qualified export: SLF4J instantiates the driver's fallback provider by name (logging/QuietLogging)
        assertThat(descriptor.exports()).filteredOn(Exports::isQualified).singleElement().satisfies(exports -> {
            assertThat(exports.source()).isEqualTo(MODULE + ".logging");
            assertThat(exports.targets()).containsExactly("org.slf4j");
        });
        assertThat(descriptor.opens()).isEmpty();
        assertThat(descriptor.packages()).contains(MODULE + ".config", MODULE + ".pool", MODULE + ".jdbc",
                MODULE + ".tx", MODULE + ".compress", MODULE + ".metrics");
        assertThat(descriptor.packages()).noneMatch(name -> name.startsWith(MODULE + ".cli"));
    }

    @Test
    void micrometerIsOptionalAndTheDriverIsAService() throws Exception {
        ModuleDescriptor descriptor = descriptor();

        Requires micrometer = descriptor.requires().stream().filter(r -> r.name().equals("micrometer.core"))
                .findFirst().orElseThrow(() -> new AssertionError("no requires micrometer.core"));
        assertThat(micrometer.modifiers()).contains(Requires.Modifier.STATIC);
        assertThat(descriptor.requires().stream().filter(r -> !r.modifiers().contains(Requires.Modifier.STATIC))
                .map(Requires::name))
                .doesNotContain("micrometer.core", "info.picocli");
        assertThat(descriptor.provides()).anySatisfy(provides -> {
            assertThat(provides.service()).isEqualTo(Driver.class.getName());
            assertThat(provides.providers()).containsExactly(EnhancedSqliteDriver.class.getName());
        });
    }

    /**
     * Resolves the driver and its dependencies as modules (Micrometer absent) in a layer of their own and opens a
     * database through the driver that layer's service loader finds: a missing {@code requires} or a split
     * package would fail here, as it would for an application on the module path.
     */
    @Test
    void runsOnTheModulePathWithoutMicrometer(@TempDir Path dir) throws Exception {
        List<Path> modulePath = List.of(locationOf(EnhancedSqliteDriver.class), locationOf(JDBC.class),
                locationOf(HikariDataSource.class), locationOf(Retry.class), locationOf(IntervalFunction.class),
                locationOf(Zstd.class), locationOf(CCJSqlParserUtil.class), locationOf(LoggerFactory.class));
        ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of(MODULE));
        assertThat(configuration.modules().stream().map(module -> module.name()).collect(Collectors.toSet()))
                .contains(MODULE).doesNotContain("micrometer.core");
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration,
                ClassLoader.getPlatformClassLoader());

        Driver driver = ServiceLoader.load(layer, Driver.class).stream().map(ServiceLoader.Provider::get)
                .filter(found -> found.getClass().getModule().getLayer() == layer
                        && found.getClass().getName().equals(EnhancedSqliteDriver.class.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("the layer's service loader finds no driver"));
        String url = Db.url(dir.resolve("module.db"));
        try (Connection connection = driver.connect(url, new Properties());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes(body TEXT)");
            statement.execute("INSERT INTO notes VALUES ('" + "on the module path ".repeat(30) + "')");
            try (ResultSet rows = statement.executeQuery("SELECT body FROM notes")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("on the module path ".repeat(30));
            }
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
                assertThat(mode.next()).isTrue();
                assertThat(mode.getString(1)).isEqualTo("wal");
            }
            // the MXBean of a class in an internal package is published through the exported interface
            assertThat(ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("io.github.enhancedsqlite:type=Database,*"), null))
                    .anyMatch(name -> name.getKeyProperty("name").contains("module.db"));
        } finally {
            layer.findLoader(MODULE).loadClass("io.github.enhancedsqlite.EnhancedSqlite")
                    .getMethod("shutdown").invoke(null);
        }
        assertThat(Db.files(dir)).containsExactly("module.db");
    }
}
