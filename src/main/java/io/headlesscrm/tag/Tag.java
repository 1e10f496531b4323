package io.headlesscrm.tag;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.UuidGenerator;

/** A tag definition. Assignments live in customer_tag and are written with SQL (see TagAssignments). */
@Entity
public class Tag {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    private UUID id;

    private String key;
    private String name;
    private String category;
    private String description;
    private String color;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @Version
    private long version;

    public UUID getId() {
        return id;
    }

    public String getKey() {
        return key;
    }

    public String getName() {
        return name;
    }

    public String getCategory() {
        return category;
    }

    public String getDescription() {
        return description;
    }

    public String getColor() {
        return color;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getVersion() {
        return version;
    }

    /** Sets every field a client writes; the key only when the tag is new (it is immutable after). */
    void apply(TagInput in, Instant now) {
        if (key == null) {
            key = in.key();
            createdAt = now;
        }
        name = in.name().trim();
        category = in.category();
        description = in.description();
        color = in.color();
        updatedAt = now;
    }
}
