package io.headlesscrm.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.InputValidator;
import io.headlesscrm.common.JsonMergePatch;
import io.headlesscrm.common.error.FieldError;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.Problems;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.security.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Webhook endpoints: subscriptions, their URL checks and signing secrets; every change audited, never a secret. */
@ApplicationScoped
public class WebhookEndpointService {

    static final String ENTITY = "webhook-endpoint";
    static final Keyset KEYSET = Keyset.byId("id", "id", false);
    static final Duration MAX_GRACE = Duration.ofDays(7);
    private static final String[] NOT_AUDITED = { "id", "secret", "previousSecretUntil", "failingSince", "createdAt",
        "updatedAt", "version" };

    @Inject
    WebhookEndpointRepository repository;
    @Inject
    WebhookSecrets secrets;
    @Inject
    EndpointUrls urls;
    @Inject
    InputValidator validator;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;

    /** Creates an endpoint; the answer is the only place its secret is shown. */
    public Uni<WebhookEndpointView> create(WebhookEndpointInput input) {
        validate(input);
        return urls.check(input.url()).flatMap(ok -> Panache.withTransaction(() -> {
            String secret = secrets.generate();
            WebhookEndpoint endpoint = new WebhookEndpoint(input, secrets.seal(secret), now());
            return repository.persistAndFlush(endpoint).map(e -> WebhookEndpointView.of(e, secret))
                    .call(view -> audit.created(ENTITY, view.id(), audit.snapshot(view, NOT_AUDITED)));
        }));
    }

    public Uni<Page.Slice<WebhookEndpointView>> list(Cursor after, int limit) {
        return Panache.withSession(() -> repository.page(after, limit)).map(endpoints -> Page.slice(
                endpoints.stream().map(e -> WebhookEndpointView.of(e, null)).toList(), limit,
                e -> KEYSET.cursor(e.id(), e.id())));
    }

    public Uni<WebhookEndpointView> get(UUID id) {
        return Panache.withSession(() -> load(id)).map(e -> WebhookEndpointView.of(e, null));
    }

    /** An RFC 7396 merge patch of url, eventTypes, description, enabled and rateLimitPerSecond. */
    public Uni<WebhookEndpointView> patch(UUID id, JsonNode patch, Long expectedVersion) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("invalid-field", null, "A patch must be a JSON object");
        }
        return Panache.withSession(() -> load(id)).flatMap(current -> {
            WebhookEndpointInput merged = merge(current.toInput(), patch);
            validate(merged);
            Uni<?> checked = merged.url().trim().equals(current.toInput().url()) ? Uni.createFrom().voidItem()
                    : urls.check(merged.url());
            return checked.flatMap(ok -> Panache.withTransaction(() -> load(id).flatMap(e -> {
                if (expectedVersion != null && expectedVersion != e.getVersion()) {
                    throw ProblemException.preconditionFailed("Webhook endpoint " + id + " is at version "
                            + e.getVersion() + ", not " + expectedVersion);
                }
                Map<String, Object> before = snapshot(e);
                e.apply(merged, now());
                return repository.flush().call(() -> audit.updated(ENTITY, id, before, snapshot(e)))
                        .map(v -> WebhookEndpointView.of(e, null));
            })));
        });
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> load(id).flatMap(e -> {
            Map<String, Object> before = snapshot(e);
            return repository.delete(e).call(() -> audit.deleted(ENTITY, id, before));
        }));
    }

    /** A new secret, shown once; the previous one keeps signing beside it for {@code grace} (at most a week). */
    public Uni<WebhookEndpointView> rotateSecret(UUID id, Duration grace) {
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ProblemException.validation(List.of(new FieldError("graceSeconds", "must be 0 to " + MAX_GRACE.toSeconds())));
        }
        return Panache.withTransaction(() -> load(id).flatMap(e -> {
            String secret = secrets.generate();
            Instant now = now();
            e.rotate(secrets.seal(secret), now.plus(grace), now);
            return repository.flush()
                    .call(() -> audit.updated(ENTITY, id, Map.of("secret", "(previous)"), Map.of("secret", "(rotated)")))
                    .map(v -> WebhookEndpointView.of(e, secret));
        }));
    }

    private void validate(WebhookEndpointInput input) {
        if (input == null) {
            throw ProblemException.badRequest("malformed-json", null, "A JSON body is required");
        }
        validator.validate(input);
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < input.eventTypes().size(); i++) {
            if (!EventTypes.selectsAny(input.eventTypes().get(i))) {
                errors.add(new FieldError("eventTypes[" + i + "]", "matches no event type; known: "
                        + String.join(", ", EventTypes.ALL) + " (or <group>.*, or *)"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    private WebhookEndpointInput merge(WebhookEndpointInput current, JsonNode patch) {
        try {
            return mapper.treeToValue(JsonMergePatch.apply(mapper.valueToTree(current), patch), WebhookEndpointInput.class);
        } catch (JsonProcessingException e) {
            throw Problems.from(e);
        }
    }

    private Uni<WebhookEndpoint> load(UUID id) {
        return repository.findById(id).onItem().ifNull().failWith(() -> ProblemException.notFound("Webhook endpoint", id));
    }

    private Map<String, Object> snapshot(WebhookEndpoint e) {
        return audit.snapshot(WebhookEndpointView.of(e, null), NOT_AUDITED);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
