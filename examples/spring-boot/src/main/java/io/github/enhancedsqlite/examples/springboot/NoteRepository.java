package io.github.enhancedsqlite.examples.springboot;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface NoteRepository extends JpaRepository<Note, Long> {

    List<Note> findByTitleStartingWithOrderById(String prefix);
}
