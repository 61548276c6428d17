package io.github.enhancedsqlite.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small notes service on {@code jdbc:enhanced-sqlite:}: Spring Data JPA for the entities, JdbcTemplate for
 * what reads better as SQL, both in Spring's transactions. What makes it use the driver is the starter
 * ({@code enhanced-sqlite-spring-boot-starter}) in the pom and the URL in {@code application.properties}.
 */
@SpringBootApplication
public class NotesApplication {

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = SpringApplication.run(NotesApplication.class, args)) {
            NoteService notes = context.getBean(NoteService.class);
            Note note = notes.create("hello", "{\"text\":\"written through Spring Data JPA\"}");
            long id = notes.createWithJdbc("hello again", "{\"text\":\"written through JdbcTemplate\"}");
            System.out.printf("created notes %d and %d; %d notes in the database%n", note.getId(), id, notes.count());
        }
    }
}
