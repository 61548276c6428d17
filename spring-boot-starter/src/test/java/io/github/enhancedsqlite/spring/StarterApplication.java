package io.github.enhancedsqlite.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with nothing of its own: what the starter and Boot's auto-configuration make of the properties. */
@SpringBootApplication
class StarterApplication {
}
