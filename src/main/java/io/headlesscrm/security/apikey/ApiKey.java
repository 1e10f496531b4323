package io.headlesscrm.security.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.UuidGenerator;

/** An API key's record; the key itself is never stored, only its SHA-256 hash. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    private UUID id;

    private String name;

    // a SHA-256 in hex: 64 characters
    @Column(name = "key_hash", length = 64)
    private String keyHash;

    @Column(name = "key_hint")
    private String keyHint;

    @Convert(converter = RoleList.class)
    private List<String> roles;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiKey() {
    }

    ApiKey(String name, String key, List<String> roles, Instant createdAt, String createdBy, Instant expiresAt) {
        this.name = name;
        this.keyHash = ApiKeySecret.hash(key);
        this.keyHint = ApiKeySecret.hint(key);
        this.roles = List.copyOf(roles);
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.expiresAt = expiresAt;
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getKeyHint() {
        return keyHint;
    }

    public List<String> getRoles() {
        return roles;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    void revoke(Instant at) {
        this.revokedAt = at;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    /** Roles are stored space-separated: Hibernate Reactive cannot map a JSON array column onto a List. */
    static class RoleList implements AttributeConverter<List<String>, String> {

        @Override
        public String convertToDatabaseColumn(List<String> roles) {
            return String.join(" ", roles);
        }

        @Override
        public List<String> convertToEntityAttribute(String column) {
            return parse(column);
        }

        static List<String> parse(String column) {
            return column == null || column.isBlank() ? List.of() : List.of(column.trim().split(" +"));
        }
    }
}
