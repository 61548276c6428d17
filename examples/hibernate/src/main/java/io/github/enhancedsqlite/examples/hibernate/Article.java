package io.github.enhancedsqlite.examples.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;

@Entity
public class Article {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String title;

    /**
     * A plain TEXT column, neither key nor indexed: with {@code compress=auto} the driver stores long values
     * zstd-compressed and every read through Hibernate gets the text back.
     */
    @Column(columnDefinition = "TEXT")
    private String body;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Author author;

    /** Optimistic locking: every UPDATE checks and bumps it, so a stale copy cannot overwrite a newer one. */
    @Version
    private long version;

    protected Article() {
    }

    public Article(Author author, String title, String body) {
        this.author = author;
        this.title = title;
        this.body = body;
        author.getArticles().add(this);
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }

    public Author getAuthor() {
        return author;
    }

    public long getVersion() {
        return version;
    }
}
