package io.github.enhancedsqlite.it.replication;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Litestream these tests run: {@code LITESTREAM_BIN} (CI sets it), else where the tests module's build
 * installs it from the npm registry. Missing, the tests fail saying how to get it; they never skip.
 */
final class LitestreamBinary {

    private LitestreamBinary() {
    }

    static Path path() {
        String variable = System.getenv("LITESTREAM_BIN");
        String installed = System.getProperty("enhancedsqlite.litestream");
        Path binary = variable != null && !variable.isBlank() ? Path.of(variable)
                : installed != null ? Path.of(installed) : null;
        if (binary == null || !Files.isExecutable(binary)) {
            throw new AssertionError("The replication tests need the litestream binary, and "
                    + (binary == null ? "none is named" : binary + " is not executable") + ". Run the tests through"
                    + " Maven (mvn verify installs it into tests/target/litestream), or install it with `npm install"
                    + " --prefix DIR @flydotio/litestream-linux-x64@1.0.1` and set LITESTREAM_BIN to"
                    + " DIR/node_modules/@flydotio/litestream-linux-x64/litestream.");
        }
        return binary;
    }

    /** The drop-in jar, whose {@code replicate} and {@code restore} run Litestream as a user runs them. */
    static Path allJar() {
        String property = System.getProperty("enhancedsqlite.allJar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new AssertionError("the -all jar is built by `mvn verify` before these tests run; found " + property);
        }
        return Path.of(property);
    }
}
