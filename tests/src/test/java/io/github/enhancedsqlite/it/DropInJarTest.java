package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.enhancedsqlite.EnhancedSqliteDriver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue point 8: the shaded {@code -all} jar is a drop-in. A separate JVM whose class path holds that jar and one
 * tiny application class, compiled here against nothing but the JDK, uses the driver through java.sql alone.
 */
class DropInJarTest {

    /** Only the JNI libraries keep their packages; everything else is ours or relocated under our package. */
    private static final Pattern ALLOWED_CLASS = Pattern.compile(
            "(META-INF/versions/\\d+/)?(io/github/enhancedsqlite/|org/sqlite/|com/github/luben/zstd/).*\\.class");

    private static final String APP_SOURCE = """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.sql.Connection;
            import java.sql.DriverManager;
            import java.sql.ResultSet;
            import java.sql.Statement;

            public class DropInApp {
                public static void main(String[] args) throws Exception {
                    Path dir = Path.of(args[0]);
                    String url = "jdbc:enhanced-sqlite:" + dir.resolve("app.db");
                    System.out.println("driver=" + DriverManager.getDriver(url).getClass().getName());
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                        System.out.println("journal_mode=" + one(s, "PRAGMA journal_mode"));
                        System.out.println("mmap_size=" + one(s, "PRAGMA mmap_size"));
                        s.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)");
                        s.execute("INSERT INTO notes(body) VALUES ('dropped in')");
                    }
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                        System.out.println("row=" + one(s, "SELECT body FROM notes WHERE id = 1"));
                    }
                    // the relocated pool still evicts a connection whose pragmas the application changed
                    String single = "jdbc:enhanced-sqlite:" + dir.resolve("evict.db") + "?maximumPoolSize=1";
                    try (Connection c = DriverManager.getConnection(single); Statement s = c.createStatement()) {
                        s.execute("PRAGMA foreign_keys=ON");
                    }
                    try (Connection c = DriverManager.getConnection(single); Statement s = c.createStatement()) {
                        System.out.println("foreign_keys_next_borrower=" + one(s, "PRAGMA foreign_keys"));
                    }
                    DriverManager.deregisterDriver(DriverManager.getDriver(url));
                    System.out.println("wal_after_deregister=" + Files.exists(dir.resolve("app.db-wal")));
                }

                private static String one(Statement s, String sql) throws Exception {
                    try (ResultSet r = s.executeQuery(sql)) {
                        return r.next() ? r.getString(1) : null;
                    }
                }
            }
            """;

    private static Path allJar;

    @BeforeAll
    static void findTheJar() {
        String property = System.getProperty("enhancedsqlite.allJar");
        Assumptions.assumeTrue(property != null, "enhancedsqlite.allJar is set by the Maven build (run mvn verify)");
        allJar = Path.of(property);
        if (!Files.isRegularFile(allJar)) {
            fail("The drop-in jar " + allJar + " does not exist: build it with `mvn verify` (package phase of drop-in/).");
        }
    }

    private static List<String> entries() throws IOException {
        try (JarFile jar = new JarFile(allJar.toFile())) {
            return Collections.list(jar.entries()).stream().map(JarEntry::getName).toList();
        }
    }

    private static String entryText(String name) throws IOException {
        try (JarFile jar = new JarFile(allJar.toFile())) {
            JarEntry entry = jar.getJarEntry(name);
            assertThat(entry).as(name).isNotNull();
            try (InputStream in = jar.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void sqliteJdbcAndZstdKeepTheirPackages() throws IOException {
        List<String> entries = entries();

        assertThat(entries).contains("org/sqlite/JDBC.class", "org/sqlite/SQLiteConnection.class");
        assertThat(entries).anyMatch(name -> name.startsWith("org/sqlite/native/Linux/x86_64/"));
        assertThat(entries).filteredOn(name -> name.contains("org/sqlite/"))
                .allMatch(name -> name.startsWith("org/sqlite/") || name.matches("META-INF/(versions/\\d+/|maven/|native-image/).*"));
        assertThat(entries).filteredOn(name -> name.contains("com/github/luben/zstd/"))
                .allMatch(name -> name.startsWith("com/github/luben/zstd/") || name.matches("META-INF/versions/\\d+/com/github/luben/zstd/.*"));
    }

    @Test
    void hikariIsRelocatedUnderOurPackage() throws IOException {
        List<String> entries = entries();

        assertThat(entries).noneMatch(name -> name.startsWith("com/zaxxer/"));
        assertThat(entries).anyMatch(name -> name.startsWith("io/github/enhancedsqlite/shaded/")
                && name.endsWith("/HikariDataSource.class"));
    }

    @Test
    void noHelperClassIsLeftInItsOwnPackage() throws IOException {
        assertThat(entries()).filteredOn(name -> name.endsWith(".class") && !name.endsWith("module-info.class"))
                .allMatch(name -> ALLOWED_CLASS.matcher(name).matches());
    }

    @Test
    void carriesNoModuleDescriptor() throws IOException {
        // the product's module-info names packages that are relocated or left out here: the -all jar is a
        // class-path jar, and the toolkit's Main-Class runs from it with java -jar
        assertThat(entries()).noneMatch(name -> name.endsWith("module-info.class"));
        assertThat(entries()).contains("io/github/enhancedsqlite/cli/Main.class",
                "io/github/enhancedsqlite/EnhancedSqliteDriver.class");
    }

    /**
     * The jar holds exactly the classes this build compiled for the driver, the toolkit and the drop-in module's own
     * SLF4J binding: a class removed or moved since an earlier build must not linger in it (the drop-in module
     * re-shades its own jar otherwise).
     */
    @Test
    void holdsExactlyTheDriverAndToolkitOfThisBuild() throws Exception {
        Set<String> built = new TreeSet<>();
        built.addAll(classesAt(EnhancedSqliteDriver.class));
        built.addAll(classesAt(io.github.enhancedsqlite.cli.Main.class));
        built.addAll(classesAt(allJar.resolveSibling("classes")));
        built.remove("module-info.class");

        assertThat(entries().stream().filter(name -> name.startsWith("io/github/enhancedsqlite/")
                && !name.startsWith("io/github/enhancedsqlite/shaded/") && name.endsWith(".class")))
                .containsExactlyInAnyOrderElementsOf(built);
    }

    /** The class files of the jar or classes directory a class was loaded from. */
    private static List<String> classesAt(Class<?> type) throws Exception {
        return classesAt(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    private static List<String> classesAt(Path location) throws Exception {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                return files.filter(file -> file.toString().endsWith(".class"))
                        .map(file -> location.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                        .toList();
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(name -> name.endsWith(".class")).toList();
        }
    }

    @Test
    void theDriverIsRegisteredAsAService() throws IOException {
        assertThat(entryText("META-INF/services/java.sql.Driver").lines().map(String::trim))
                .contains("io.github.enhancedsqlite.EnhancedSqliteDriver");
    }

    /** Flyway's and Liquibase's command lines and Maven plugins find the URL's support in the jar they are given. */
    @Test
    void theFlywayAndLiquibasePluginsAreRegisteredUnderTheToolsOwnServiceNames() throws IOException {
        assertThat(entryText("META-INF/services/org.flywaydb.core.extensibility.Plugin").lines().map(String::trim))
                .containsExactly("io.github.enhancedsqlite.flyway.EnhancedSqliteDatabaseType");
        assertThat(entryText("META-INF/services/liquibase.database.Database").lines().map(String::trim))
                .containsExactly("io.github.enhancedsqlite.liquibase.EnhancedSqliteDatabase");
    }

    /** One SLF4J binding, the jar's own, under the relocated service name: no "multiple providers" notice. */
    @Test
    void theRelocatedSlf4jHasExactlyTheQuietBinding() throws IOException {
        assertThat(entryText("META-INF/services/io.github.enhancedsqlite.shaded.slf4j.spi.SLF4JServiceProvider")
                .lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                .containsExactly("io.github.enhancedsqlite.dropin.QuietPoolLogging");
        assertThat(entries()).noneMatch(name -> name.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"));
    }

    @Test
    void anApplicationWithOnlyTheJarOnItsClassPathUsesTheDriver(@TempDir Path work) throws Exception {
        Path sources = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path data = Files.createDirectories(work.resolve("data"));
        Path source = Files.writeString(sources.resolve("DropInApp.java"), APP_SOURCE);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("tests need a JDK, not a JRE").isNotNull();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = compiler.run(null, null, errors, "--release", "17", "-d", classes.toString(), source.toString());
        assertThat(compiled).as(errors.toString(StandardCharsets.UTF_8)).isZero();

        String classPath = allJar.toAbsolutePath() + java.io.File.pathSeparator + classes;
        ChildJvm.Result app = ChildJvm.run(classPath, "DropInApp", data.toString());

        assertThat(app.exitCode()).as(app.output()).isZero();
        assertThat(app.output())
                .contains("driver=io.github.enhancedsqlite.EnhancedSqliteDriver")
                .contains("journal_mode=wal")
                .contains("mmap_size=8589934592")
                .contains("row=dropped in")
                .contains("foreign_keys_next_borrower=0")
                .contains("wal_after_deregister=false")
                .doesNotContain("No SLF4J providers")
                .doesNotContain("NoClassDefFoundError");
        try (Connection plain = Db.plain(data.resolve("app.db"))) {
            assertThat(Db.queryStrings(plain, "SELECT body FROM notes")).containsExactly("dropped in");
        }
        assertThat(Db.files(data)).containsExactlyInAnyOrder("app.db", "evict.db");
    }
}
