package io.github.enhancedsqlite.examples.mybatis;

import java.util.Objects;

/** A row of {@code bookmarks}, mapped by MyBatis through its setters (the generated id included). */
public final class Bookmark {

    private Long id;
    private String url;
    private String title;
    /** The page as saved: long text in a plain TEXT column, stored compressed with compress=auto. */
    private String snapshot;
    private int visits;

    public Bookmark() {
    }

    public Bookmark(String url, String title, String snapshot) {
        this.url = url;
        this.title = title;
        this.snapshot = snapshot;
    }

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getSnapshot() {
        return snapshot;
    }

    public void setSnapshot(String snapshot) {
        this.snapshot = snapshot;
    }

    public int getVisits() {
        return visits;
    }

    public void setVisits(int visits) {
        this.visits = visits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bookmark b && Objects.equals(id, b.id) && Objects.equals(url, b.url)
                && Objects.equals(title, b.title) && Objects.equals(snapshot, b.snapshot) && visits == b.visits;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, url, title, snapshot, visits);
    }

    @Override
    public String toString() {
        return "Bookmark[" + id + ", " + url + ", " + title + ", visits=" + visits + "]";
    }
}
