package io.headlesscrm.tag;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.RedisScript;
import io.headlesscrm.customer.CustomerDeletionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Customers' tag sets, read through Redis. Correctness first:
 * <ul>
 * <li>every change invalidates the customer's entry after it commits, before the write is answered;</li>
 * <li>a fill after a miss is refused if an invalidation happened since the miss (per-customer version);</li>
 * <li>a change to a tag's definition, or an invalidation that could not reach Redis, moves a global epoch on,
 * which orphans every entry at once; until that succeeds this instance reads PostgreSQL only;</li>
 * <li>Redis down or slow: lookups read PostgreSQL, and the client sees no error.</li>
 * </ul>
 * Keys are built inside the scripts, so this needs a single Redis (or Sentinel), not Redis Cluster.
 */
@ApplicationScoped
public class TagCache implements CustomerDeletionListener {

    private static final Logger LOG = Logger.getLogger(TagCache.class);
    private static final RedisScript READ = RedisScript.load("tag-cache-read");
    private static final RedisScript FILL = RedisScript.load("tag-cache-fill");
    private static final RedisScript INVALIDATE = RedisScript.load("tag-cache-invalidate");
    private static final String[] NO_KEYS = {};
    private static final int INVALIDATION_BATCH = 1000;
    private static final TypeReference<List<CustomerTagView>> TAGS = new TypeReference<>() {
    };

    private final Counter hits;
    private final Counter misses;
    private final Counter fallbacks;
    private final Counter invalidations;
    /** An invalidation was lost: entries may be stale until the epoch moves on. */
    private final AtomicBoolean epochBehind = new AtomicBoolean();

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    TagAssignments assignments;
    @Inject
    ObjectMapper mapper;
    @Inject
    TagCacheConfig config;

    @Inject
    TagCache(MeterRegistry registry) {
        hits = registry.counter("crm.tags.cache", "result", "hit");
        misses = registry.counter("crm.tags.cache", "result", "miss");
        fallbacks = registry.counter("crm.tags.cache", "result", "fallback");
        invalidations = registry.counter("crm.tags.cache.invalidations");
    }

    /** The customer's live tags in key order; null when there is no such customer. */
    Uni<List<CustomerTagView>> tagsOf(UUID customerId) {
        if (!config.enabled()) {
            return assignments.tagsOf(customerId);
        }
        return usable().flatMap(usable -> usable ? read(customerId) : fallback(customerId));
    }

    private Uni<List<CustomerTagView>> read(UUID customerId) {
        return redis(READ.run(redis, NO_KEYS, customerId.toString())).flatMap(r -> {
            if (r == null) {
                return fallback(customerId);
            }
            List<CustomerTagView> cached = r.get(2) == null ? null : parse(r.get(2).toString());
            if (cached != null) {
                hits.increment();
                return Uni.createFrom().item(live(cached));
            }
            // a miss, or an entry this version cannot read (written by another release): refilled from PostgreSQL
            misses.increment();
            return assignments.tagsOf(customerId).call(tags -> tags == null ? Uni.createFrom().voidItem()
                    : fill(customerId, r.get(0).toString(), r.get(1).toString(), tags));
        });
    }

    private Uni<List<CustomerTagView>> fallback(UUID customerId) {
        fallbacks.increment();
        return assignments.tagsOf(customerId);
    }

    private Uni<Void> fill(UUID customerId, String epoch, String version, List<CustomerTagView> tags) {
        Duration ttl = config.ttl();
        Instant now = Instant.now();
        for (CustomerTagView t : tags) {
            if (t.expiresAt() != null && Duration.between(now, t.expiresAt()).compareTo(ttl) < 0) {
                ttl = Duration.between(now, t.expiresAt());
            }
        }
        if (ttl.toMillis() <= 0) {
            return Uni.createFrom().voidItem();
        }
        try {
            return redis(FILL.run(redis, NO_KEYS, customerId.toString(), epoch, version, mapper.writeValueAsString(tags),
                    Long.toString(ttl.toMillis()))).replaceWithVoid();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** After a commit that changed these customers' tags; never fails (a lost invalidation moves the epoch on). */
    Uni<Void> invalidate(Collection<UUID> customerIds) {
        if (!config.enabled() || customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = customerIds.stream().map(UUID::toString).toList();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (int from = 0; from < ids.size(); from += INVALIDATION_BATCH) {
            String[] batch = ids.subList(from, Math.min(ids.size(), from + INVALIDATION_BATCH)).toArray(String[]::new);
            all = all.call(() -> redis(INVALIDATE.run(redis, NO_KEYS, batch)).invoke(r -> {
                if (r == null) {
                    behind("an invalidation did not reach Redis");
                } else {
                    invalidations.increment(batch.length);
                }
            }));
        }
        return all;
    }

    /** Every cached tag set at once: after a tag's definition (name, color…) changed. */
    Uni<Void> invalidateAll() {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return moveEpoch().invoke(moved -> {
            if (!moved) {
                behind("the epoch could not be moved on");
            }
        }).replaceWithVoid();
    }

    @Override
    public Uni<Void> customerDeleted(UUID customerId) {
        return invalidate(List.of(customerId));
    }

    /** While an invalidation is lost, keeps trying to move the epoch on, so other instances stop serving stale entries. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> catchUp() {
        return epochBehind.get() ? usable().replaceWithVoid() : Uni.createFrom().voidItem();
    }

    /** Whether entries can be trusted: true unless an invalidation was lost and the epoch cannot be moved yet. */
    private Uni<Boolean> usable() {
        if (!epochBehind.get()) {
            return Uni.createFrom().item(true);
        }
        return moveEpoch().invoke(moved -> {
            if (moved) {
                epochBehind.set(false);
                LOG.info("Redis is back: the tag cache's epoch moved on, entries from before are dropped");
            }
        });
    }

    private Uni<Boolean> moveEpoch() {
        return redis(redis.execute("INCR", "crm:tags:epoch")).map(r -> r != null);
    }

    private void behind(String why) {
        if (epochBehind.compareAndSet(false, true)) {
            LOG.warnf("Tag cache: %s; reading tags from PostgreSQL until Redis answers again", why);
        }
    }

    /** A Redis call bounded by the timeout; null when Redis failed or was too slow. */
    private Uni<Response> redis(Uni<Response> call) {
        return call.ifNoItem().after(config.timeout()).fail()
                .onFailure().invoke(e -> LOG.debugf("Tag cache: Redis call failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** The cached list, or null when the entry cannot be read. */
    private List<CustomerTagView> parse(String json) {
        try {
            return mapper.readValue(json, TAGS);
        } catch (JsonProcessingException e) {
            LOG.debugf("Tag cache: unreadable entry, read again from PostgreSQL: %s", e.getOriginalMessage());
            return null;
        }
    }

    private static List<CustomerTagView> live(List<CustomerTagView> tags) {
        Instant now = Instant.now();
        return tags.stream().filter(t -> t.expiresAt() == null || t.expiresAt().isAfter(now)).toList();
    }
}
