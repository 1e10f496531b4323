package io.headlesscrm.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.headlesscrm.lead.LeadView.TraceEvent;

/**
 * The rules' semantics, for one customer at a time and without I/O: their events in {@code occurredAt} order (each
 * with which steps and conversions it meets, decided in SQL) and then the wall clock move the customer's pending
 * matches on, make leads and close leads whose customer converted by themselves. Every comparison is by event time,
 * so that an event arriving in a later batch than an older or newer one has the effect it has in the same batch
 * (docs/leads.md's table of late events):
 * <ul>
 * <li>One pending match per rule and customer: a first-step event while one is pending starts nothing.</li>
 * <li>Only what is dated strictly after a match's step counts for the match: its next step, an absent event, a
 * conversion (events at the same instant are not ordered, neither in a batch nor across batches).</li>
 * <li>Windows are half-open: a step's event must come before its deadline; an absent event at the deadline or
 * later no longer stops the rule. Before each event, deadlines up to its time are decided, so the outcome does
 * not depend on when the deadlines were looked at; a deadline once decided stays decided.</li>
 * <li>A conversion event drops the rule's pending match started before it and closes its unworked leads whose
 * first event is before it, whenever it arrives (a late one closes the lead it would have prevented).</li>
 * <li>The customer condition is checked when the rule fires; the cooldown separates a new lead from the rule's
 * latest one on either side, so a late event cannot make a lead next to a newer one.</li>
 * </ul>
 */
final class LeadMatcher {

    /** An event as the matcher reads it: {@code meets} says, per slot of {@link Slots}, whether it meets it. */
    record Event(UUID id, String type, Instant occurredAt, String meets) {
    }

    record Match(UUID ruleId, long version, int step, Instant startedAt, Instant lastAt, Instant stepDeadline,
            Instant expiresAt, List<TraceEvent> events) {

        Instant dueAt() {
            return stepDeadline == null ? expiresAt : expiresAt == null ? stepDeadline
                    : stepDeadline.isBefore(expiresAt) ? stepDeadline : expiresAt;
        }
    }

    /**
     * A lead of the customer that a conversion may still close: made by a rule, not yet worked; {@code startedAt} is
     * its first event's time (its trigger's for a one-step rule).
     */
    record Unworked(UUID leadId, UUID ruleId, Instant startedAt) {
    }

    /** A lead to make. */
    record Fire(UUID customerId, UUID leadId, LeadRuleVersion rule, String dedupKey, Instant triggeredAt, List<TraceEvent> events) {
    }

    /** A lead closed as CONVERTED_NATURALLY by {@code conversion}. */
    record Converted(UUID leadId, TraceEvent conversion) {
    }

    /**
     * What the matcher knows of one customer before its events; {@code passes} says whether the customer meets a
     * rule version's customer condition (by {@link #key}), asked only when a rule with one fires.
     */
    record Customer(UUID id, List<Event> events, Map<UUID, Match> matches, Map<UUID, Instant> lastTriggered,
            List<Unworked> unworked, Predicate<String> passes) {
    }

    record Outcome(Map<UUID, Match> matches, List<Fire> fires, List<Converted> converted) {
    }

    /** Where each version's steps and conversions are in an event's {@code meets}: the SQL builds the same order. */
    static final class Slots {
        private final Map<String, Integer> base = new LinkedHashMap<>();
        private final List<LeadRuleVersion> versions = new ArrayList<>();
        private int size;

        Slots(Iterable<LeadRuleVersion> all) {
            for (LeadRuleVersion v : all) {
                if (base.putIfAbsent(key(v.ruleId(), v.version()), size) == null) {
                    versions.add(v);
                    size += v.compiled().steps().size() + v.compiled().conversions().size();
                }
            }
        }

        List<LeadRuleVersion> versions() {
            return versions;
        }

        int step(LeadRuleVersion v, int step) {
            return base.get(key(v.ruleId(), v.version())) + step;
        }

        int conversion(LeadRuleVersion v, int i) {
            return step(v, v.compiled().steps().size()) + i;
        }
    }

    static String key(UUID ruleId, long version) {
        return ruleId + "/" + version;
    }

    private final Map<UUID, LeadRuleVersion> active;
    private final BiFunction<UUID, Long, LeadRuleVersion> versions;
    private final Slots slots;

    /**
     * @param active each active rule's current version, by rule id
     * @param versions any version a pending match names
     */
    LeadMatcher(Map<UUID, LeadRuleVersion> active, BiFunction<UUID, Long, LeadRuleVersion> versions, Slots slots) {
        this.active = active;
        this.versions = versions;
        this.slots = slots;
    }

    Outcome run(Customer c, Instant now) {
        Run run = new Run(c);
        for (Event e : c.events()) {
            run.until(e.occurredAt());
            run.event(e);
        }
        run.until(now);
        return new Outcome(run.matches, run.fires, run.converted);
    }

    private final class Run {
        final Customer customer;
        final Map<UUID, Match> matches;
        final Map<UUID, Instant> lastTriggered;
        final List<Unworked> unworked;
        final List<Fire> fires = new ArrayList<>();
        final List<Converted> converted = new ArrayList<>();

        Run(Customer c) {
            customer = c;
            matches = new HashMap<>(c.matches());
            lastTriggered = new HashMap<>(c.lastTriggered());
            unworked = new ArrayList<>(c.unworked());
        }

        /** Decides every deadline up to {@code t}. */
        void until(Instant t) {
            for (UUID rule : List.copyOf(matches.keySet())) {
                Match m = matches.get(rule);
                while (m != null && m.dueAt() != null && !m.dueAt().isAfter(t)) {
                    LeadRuleVersion v = versions.apply(m.ruleId(), m.version());
                    LeadRuleInput.Step step = v.steps().get(m.step());
                    boolean passed = step.absence() && m.stepDeadline() != null && m.stepDeadline().equals(m.dueAt());
                    matches.remove(rule);
                    m = passed ? next(v, m, new TraceEvent(null, step.eventType(), m.stepDeadline(), m.step(), true)) : null;
                }
            }
        }

        void event(Event e) {
            Set<UUID> rules = new LinkedHashSet<>(active.keySet());
            rules.addAll(matches.keySet());
            for (UUID rule : rules) {
                LeadRuleVersion current = active.get(rule);
                Match m = matches.get(rule);
                LeadRuleVersion mine = m == null ? null : versions.apply(m.ruleId(), m.version());
                if (converts(current, e) || converts(mine, e)) {
                    convert(rule, e);
                    continue;
                }
                if (m != null) {
                    // an event at or before the last step (late, or at the same instant) is outside the awaited
                    // step's window, whether it is that step's event or an absent one
                    boolean meets = e.meets().charAt(slots.step(mine, m.step())) == '1'
                            && e.occurredAt().isAfter(m.lastAt());
                    if (meets) {
                        matches.remove(rule);
                        if (!mine.steps().get(m.step()).absence()) {
                            next(mine, m, trace(e, m.step()));
                        }
                    }
                } else if (current != null && e.meets().charAt(slots.step(current, 0)) == '1') {
                    TraceEvent first = trace(e, 0);
                    if (current.sequence()) {
                        Match started = new Match(rule, current.version(), 0, e.occurredAt(), e.occurredAt(), null,
                                e.occurredAt().plus(current.definition().within()), List.of());
                        next(current, started, first);
                    } else {
                        fire(current, e.id().toString(), e.occurredAt(), List.of(first));
                    }
                }
            }
        }

        /** The match with {@code done} added: fired if it was the last step, else waiting for the next. */
        Match next(LeadRuleVersion v, Match m, TraceEvent done) {
            List<TraceEvent> events = new ArrayList<>(m.events());
            events.add(done);
            int step = m.step() + 1;
            if (step == v.steps().size()) {
                fire(v, String.valueOf(events.get(0).eventId()), done.occurredAt(), events);
                return null;
            }
            LeadRuleInput.Step awaited = v.steps().get(step);
            Instant deadline = awaited.within() == null ? null : done.occurredAt().plus(awaited.within());
            Match moved = new Match(m.ruleId(), m.version(), step, m.startedAt(), done.occurredAt(), deadline,
                    m.expiresAt(), List.copyOf(events));
            matches.put(m.ruleId(), moved);
            return moved;
        }

        boolean converts(LeadRuleVersion v, Event e) {
            if (v == null) {
                return false;
            }
            for (int i = 0; i < v.compiled().conversions().size(); i++) {
                if (e.meets().charAt(slots.conversion(v, i)) == '1') {
                    return true;
                }
            }
            return false;
        }

        /**
         * A conversion at t ends what had started before t: the pending match (had it arrived in time, the match would
         * not have gone on) and the unworked leads, even one that fired at a deadline after t.
         */
        void convert(UUID rule, Event e) {
            Match m = matches.get(rule);
            if (m != null && m.startedAt().isBefore(e.occurredAt())) {
                matches.remove(rule);
            }
            TraceEvent conversion = trace(e, -1);
            unworked.removeIf(u -> {
                boolean closes = u.ruleId().equals(rule) && u.startedAt().isBefore(e.occurredAt());
                if (closes) {
                    converted.add(new Converted(u.leadId(), conversion));
                }
                return closes;
            });
        }

        void fire(LeadRuleVersion v, String dedupKey, Instant at, List<TraceEvent> events) {
            if (v.compiled().customer() != null && !customer.passes().test(key(v.ruleId(), v.version()))) {
                return;
            }
            Instant last = lastTriggered.get(v.ruleId());
            // either side: a late event dated just before the latest lead makes no second one, as it would have
            // stopped that lead had it come in time
            if (last != null && !v.cooldown().isZero() && at.isBefore(last.plus(v.cooldown()))
                    && at.isAfter(last.minus(v.cooldown()))) {
                return;
            }
            UUID id = Leads.newId();
            lastTriggered.merge(v.ruleId(), at, (a, b) -> a.isAfter(b) ? a : b);
            unworked.add(new Unworked(id, v.ruleId(), events.get(0).occurredAt()));
            fires.add(new Fire(customer.id(), id, v, dedupKey, at, List.copyOf(events)));
        }

        TraceEvent trace(Event e, int step) {
            return new TraceEvent(e.id(), e.type(), e.occurredAt(), step, false);
        }
    }
}
