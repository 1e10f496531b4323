package io.headlesscrm.segment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.property.PropertyInput;
import io.headlesscrm.property.PropertyScope;
import io.headlesscrm.property.PropertyService;
import io.headlesscrm.property.PropertyType;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The dimensions every CRM has, created at the first start from configured thresholds (on every instance at once:
 * the key is unique, the loser's 409 is ignored); afterwards they are edited like any other, but not deleted.
 */
@ApplicationScoped
public class BuiltInDimensions {

    @Inject
    SegmentService service;
    @Inject
    SegmentRepository repository;
    @Inject
    PropertyService properties;
    @Inject
    SegmentsConfig config;
    @Inject
    ObjectMapper mapper;

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> ensure(lifecycle()).call(() -> declareAmount())
                .call(() -> ensure(value())).call(() -> ensure(customerType())));
    }

    private Uni<Void> ensure(SegmentInput.Dimension dimension) {
        return repository.findByKey(dimension.key()).flatMap(found -> found != null ? Uni.createFrom().voidItem()
                : service.createDimension(dimension, true).replaceWithVoid()
                        .onFailure(e -> e instanceof ProblemException p && p.status() == 409).recoverWithNull());
    }

    private Uni<Void> declareAmount() {
        SegmentsConfig.Value v = config.value();
        return properties.create(new PropertyInput(PropertyScope.EVENT, v.purchaseEvent(), v.amountProperty(),
                PropertyType.NUMBER, null, "What a purchase was worth; the built-in value dimension sums it"))
                .replaceWithVoid().onFailure(e -> e instanceof ProblemException p && p.status() == 409).recoverWithNull();
    }

    private SegmentInput.Dimension lifecycle() {
        SegmentsConfig.Lifecycle l = config.lifecycle();
        return new SegmentInput.Dimension("lifecycle", "Lifecycle", "New, active, silent or churned, by registration "
                + "and activity", List.of(
                        bucket("new", "New", Map.of("or", List.of(attr("registeredAt", "within", l.newWithin()),
                                Map.of("and", List.of(attr("registeredAt", "exists", false),
                                        attr("createdAt", "within", l.newWithin())))))),
                        bucket("active", "Active", attr("lastActiveAt", "within", l.activeWithin())),
                        bucket("churned", "Churned", Map.of("or", List.of(attr("lastActiveAt", "before", l.churnedAfter()),
                                Map.of("and", List.of(attr("lastActiveAt", "exists", false),
                                        attr("createdAt", "before", l.churnedAfter())))))),
                        bucket("silent", "Silent", null)));
    }

    private SegmentInput.Dimension value() {
        SegmentsConfig.Value v = config.value();
        return new SegmentInput.Dimension("value", "Value", "High, mid or low by spend (" + v.purchaseEvent() + " "
                + v.amountProperty() + ") over " + v.window(), List.of(
                        bucket("high", "High", spend(v, v.high())),
                        bucket("mid", "Mid", spend(v, v.mid())),
                        bucket("low", "Low", null)));
    }

    private SegmentInput.Dimension customerType() {
        return new SegmentInput.Dimension("customer-type", "Customer type", "Individuals and enterprises", List.of(
                bucket("enterprise", "Enterprise", attr("type", "eq", "ENTERPRISE")),
                bucket("individual", "Individual", null)));
    }

    private Map<String, Object> spend(SegmentsConfig.Value v, BigDecimal atLeast) {
        return Map.of("event", Map.of("type", v.purchaseEvent(), "agg", "sum", "prop", v.amountProperty(),
                "within", v.window(), "op", "gte", "value", atLeast));
    }

    private static Map<String, Object> attr(String name, String op, Object value) {
        return Map.of("attr", name, "op", op, "value", value);
    }

    private SegmentInput.Bucket bucket(String key, String name, Object condition) {
        JsonNode tree = condition == null ? null : mapper.valueToTree(condition);
        return new SegmentInput.Bucket(key, name, tree);
    }
}
