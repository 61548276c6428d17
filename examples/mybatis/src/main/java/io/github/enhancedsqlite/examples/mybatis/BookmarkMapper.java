package io.github.enhancedsqlite.examples.mybatis;

import java.util.List;

/** The statements are mapped in BookmarkMapper.xml next to this interface (same package, same name). */
public interface BookmarkMapper {

    void createTable();

    /** Sets {@link Bookmark#getId()} from the generated key. */
    int insert(Bookmark bookmark);

    int recordVisit(long id);

    int updateSnapshot(Bookmark bookmark);

    int delete(long id);

    Bookmark findById(long id);

    /** Bookmarks whose saved page contains {@code word}, in id order. */
    List<Bookmark> search(String word);

    long count();
}
