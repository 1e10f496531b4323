package io.headlesscrm.tag;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.common.RedisCalls;
import io.headlesscrm.common.RedisScript;
import io.headlesscrm.customer.CustomerDeletionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

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
    private static final RedisScript FORGET = RedisScript.load("tag-cache-forget");
    private static final String[] NO_KEYS = {};
    private static final int INVALIDATION_BATCH = 1000;
    private static final TypeReference<List<CustomerTagView>> TAGS = new TypeReference<>() {
    };

    private final Counter hits;
    private final Counter misses;
    private final Counter fallbacks;
    private final Counter invalidations;
    /** Tag sets kept in memory, checked against Redis on every read (see Copy). */
    private final Cache<UUID, Copy> copies;
    /** An invalidation was lost: entries may be stale until the epoch moves on. */
    private final AtomicBoolean epochBehind = new AtomicBoolean();

    @Inject
    RedisCalls redis;
    @Inject
    TagAssignments assignments;
    @Inject
    ObjectMapper mapper;
    @Inject
    TagStamps stamps;
    private final TagsConfig.Cache config;

    @Inject
    TagCache(MeterRegistry registry, TagsConfig tags) {
        this.config = tags.cache();
        copies = Caffeine.newBuilder().maximumSize(config.memoryEntries()).expireAfterWrite(config.ttl()).recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, copies, "tags-in-memory");
        hits = registry.counter("crm.tags.cache", "result", "hit");
        misses = registry.counter("crm.tags.cache", "result", "miss");
        fallbacks = registry.counter("crm.tags.cache", "result", "fallback");
        invalidations = registry.counter("crm.tags.cache.invalidations");
    }

    /**
     * Watches the connection to Redis from start-up on: when Redis goes away, invalidations by any instance may
     * be lost, so this one trusts no entry until it has moved the epoch on once Redis answers again.
     */
    void watchRedis(@Observes StartupEvent start) {
        if (config.enabled()) {
            stamps.watch(() -> behind("the connection to Redis was lost"));
        }
    }

    /** The customer's live tags in key order, as JSON; null when there is no such customer. */
    Uni<byte[]> tagsOf(UUID customerId) {
        if (!config.enabled()) {
            return fromPostgres(customerId);
        }
        return usable().flatMap(usable -> usable ? read(customerId) : fallback(customerId));
    }

    /** A copy in memory, if Redis confirms it is current; else the entry in Redis, else PostgreSQL. */
    private Uni<byte[]> read(UUID customerId) {
        Copy copy = copies.getIfPresent(customerId);
        if (copy == null || !copy.live()) {
            return readThrough(customerId);
        }
        // bounded by the timeout in TagStamps, not here: one timer per batch of checks instead of one per check
        return stamps.of(customerId).onFailure().recoverWithNull().flatMap(stamp -> {
            if (stamp == null) {
                return fallback(customerId);
            }
            if (copy.epoch.equals(stamp.epoch()) && copy.version.equals(stamp.version())) {
                hits.increment();
                return Uni.createFrom().item(copy.json);
            }
            copies.asMap().remove(customerId, copy);
            return readThrough(customerId);
        });
    }

    private Uni<byte[]> readThrough(UUID customerId) {
        return redis(READ.run(redis, config.timeout(), NO_KEYS, customerId.toString())).flatMap(r -> {
            if (r == null) {
                return fallback(customerId);
            }
            String epoch = r.get(0).toString();
            String version = r.get(1).toString();
            if (epoch.isEmpty()) {
                // no epoch yet (a new Redis, or one restarted empty): start one, read PostgreSQL meanwhile
                return startEpoch().chain(() -> fallback(customerId));
            }
            Copy cached = r.get(2) == null ? null : parse(epoch, version, r.get(2).toString());
            if (cached != null) {
                hits.increment();
                return Uni.createFrom().item(keep(customerId, cached));
            }
            // a miss, or an entry this version cannot read (written by another release): refilled from PostgreSQL
            misses.increment();
            return assignments.tagsOf(customerId).flatMap(tags -> tags == null ? Uni.createFrom().nullItem()
                    : fill(customerId, epoch, version, tags));
        });
    }

    private Uni<byte[]> fallback(UUID customerId) {
        fallbacks.increment();
        return fromPostgres(customerId);
    }

    private Uni<byte[]> fromPostgres(UUID customerId) {
        return assignments.tagsOf(customerId).map(tags -> tags == null ? null : Jsons.bytes(mapper, tags));
    }

    /**
     * Stores a tag set read from PostgreSQL, in Redis and in memory, under the epoch and version read before
     * PostgreSQL was: if the customer was invalidated meanwhile, Redis refuses it and the copy never matches.
     */
    private Uni<byte[]> fill(UUID customerId, String epoch, String version, List<CustomerTagView> tags) {
        Copy copy = new Copy(epoch, version, Jsons.bytes(mapper, tags), staleAt(tags));
        Duration ttl = Duration.between(Instant.now(), copy.staleAt);
        if (ttl.toMillis() <= 0) {
            return Uni.createFrom().item(copy.json);
        }
        keep(customerId, copy);
        return redis(FILL.run(redis, config.timeout(), NO_KEYS, customerId.toString(), epoch, version,
                new String(copy.json, StandardCharsets.UTF_8), Long.toString(ttl.toMillis())))
                .replaceWith(copy.json);
    }

    /** When a tag set must no longer be served: the first expiry among its tags, or after the TTL. */
    private Instant staleAt(List<CustomerTagView> tags) {
        Instant at = Instant.now().plus(config.ttl());
        for (CustomerTagView t : tags) {
            if (t.expiresAt() != null && t.expiresAt().isBefore(at)) {
                at = t.expiresAt();
            }
        }
        return at;
    }

    /** After a commit that changed these customers' tags; never fails (a lost invalidation moves the epoch on). */
    Uni<Void> invalidate(Collection<UUID> customerIds) {
        if (!config.enabled() || customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        copies.invalidateAll(customerIds);
        List<String> ids = customerIds.stream().map(UUID::toString).toList();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (int from = 0; from < ids.size(); from += INVALIDATION_BATCH) {
            String[] batch = ids.subList(from, Math.min(ids.size(), from + INVALIDATION_BATCH)).toArray(String[]::new);
            all = all.call(() -> redis(INVALIDATE.run(redis, config.timeout(), NO_KEYS, batch)).invoke(r -> {
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
        copies.invalidateAll();
        return moveEpoch().invoke(moved -> {
            if (!moved) {
                behind("the epoch could not be moved on");
            }
        }).replaceWithVoid();
    }

    /**
     * After a customer's row is deleted or erased: like an invalidation, but their version in Redis then lives only
     * as long as a copy in memory can (the TTL), so no key names them for the day a live customer's version keeps.
     */
    @Override
    public Uni<Void> customerDeleted(UUID customerId) {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        copies.invalidate(customerId);
        return redis(FORGET.run(redis, config.timeout(), NO_KEYS, customerId.toString(), Long.toString(config.ttl().toMillis())))
                .invoke(r -> {
                    if (r == null) {
                        behind("a deletion did not reach Redis");
                    } else {
                        invalidations.increment();
                    }
                }).replaceWithVoid();
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

    /**
     * A fresh random epoch, never a counter: Redis may restart empty, and a counter starting again could match
     * the epoch of copies kept in memory from before.
     */
    private Uni<Boolean> moveEpoch() {
        return redis(redis.execute(config.timeout(), "SET", TagStamps.EPOCH, UUID.randomUUID().toString())).map(r -> r != null);
    }

    private Uni<Void> startEpoch() {
        return redis(redis.execute(config.timeout(), "SET", TagStamps.EPOCH, UUID.randomUUID().toString(), "NX")).replaceWithVoid();
    }

    private void behind(String why) {
        if (epochBehind.compareAndSet(false, true)) {
            LOG.warnf("Tag cache: %s; reading tags from PostgreSQL until Redis answers again", why);
        }
    }

    /** A Redis call (bounded by the timeout, back on the caller's context: RedisCalls); null when it failed. */
    private <T> Uni<T> redis(Uni<T> call) {
        return call.onFailure().invoke(e -> LOG.debugf("Tag cache: Redis call failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** A Redis entry as a copy to keep, or null when it cannot be read. */
    private Copy parse(String epoch, String version, String json) {
        try {
            List<CustomerTagView> tags = mapper.readValue(json, TAGS);
            Instant now = Instant.now();
            List<CustomerTagView> live = tags.stream().filter(t -> t.expiresAt() == null || t.expiresAt().isAfter(now))
                    .toList();
            return new Copy(epoch, version, Jsons.bytes(mapper, live), staleAt(live));
        } catch (JsonProcessingException e) {
            LOG.debugf("Tag cache: unreadable entry, read again from PostgreSQL: %s", e.getOriginalMessage());
            return null;
        }
    }

    private byte[] keep(UUID customerId, Copy copy) {
        copies.put(customerId, copy);
        return copy.json;
    }

    /**
     * A tag set this instance keeps in memory, as JSON ready to send. It is served only while Redis still holds
     * the epoch and the customer's version it was read under, which every read checks (TagStamps); so an
     * invalidation made by any instance is seen by the next read here, with no message to miss. Copies live at most the TTL, far less than a version key
     * (a day), so a version key that expired and started again from 0 cannot match an old copy.
     */
    private record Copy(String epoch, String version, byte[] json, Instant staleAt) {

        boolean live() {
            return Instant.now().isBefore(staleAt);
        }
    }
}
