package io.headlesscrm.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.headlesscrm.lead.LeadMatcher.Event;
import io.headlesscrm.lead.LeadMatcher.Outcome;
import io.headlesscrm.lead.LeadRuleInput.Step;
import io.headlesscrm.lead.LeadRuleInput.Then;

/** The matcher's semantics, without a database: events are given with the slots they meet. */
class LeadMatcherTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final UUID CUSTOMER = UUID.randomUUID();

    private static LeadRuleVersion rule(List<Step> steps, Duration within, int conversions, Duration cooldown,
            boolean customerCondition) {
        List<String> predicates = steps.stream().map(s -> "p").toList();
        return new LeadRuleVersion(UUID.randomUUID(), 0, "r", new LeadRuleInput("r", "R", null, null, steps, within, null,
                new LeadRuleInput.Output("t", null, null, null), null, cooldown, null, null),
                new LeadRuleVersion.Compiled(predicates, java.util.Collections.nCopies(conversions, "c"),
                        customerCondition ? "cond" : null));
    }

    private static Step event(String type) {
        return new Step(null, type, null, null);
    }

    private static Step then(String type, Duration within) {
        return new Step(Then.EVENT, type, null, within);
    }

    private static Step not(String type, Duration within) {
        return new Step(Then.NOT, type, null, within);
    }

    private static Event at(long minutes, String meets) {
        return new Event(UUID.randomUUID(), "e", T0.plus(Duration.ofMinutes(minutes)), meets);
    }

    private final Map<UUID, LeadMatcher.Match> matches = new HashMap<>();
    private final Map<UUID, Instant> last = new HashMap<>();
    private final List<LeadMatcher.Unworked> unworked = new ArrayList<>();
    private Set<String> passes = Set.of();

    /** One matcher step over a batch: the worker reads a batch in occurredAt order (ties as given here). */
    private Outcome run(LeadRuleVersion v, Instant now, Event... events) {
        LeadMatcher.Slots slots = new LeadMatcher.Slots(List.of(v));
        LeadMatcher matcher = new LeadMatcher(Map.of(v.ruleId(), v), (r, n) -> v, slots);
        List<Event> batch = java.util.stream.Stream.of(events)
                .sorted(java.util.Comparator.comparing(Event::occurredAt)).toList();
        Outcome o = matcher.run(new LeadMatcher.Customer(CUSTOMER, batch, matches, last, unworked, passes::contains), now);
        matches.clear();
        matches.putAll(o.matches());
        return o;
    }

    @Test
    void aRealTimeRuleFiresOnEachMatchingEventOutsideItsCooldown() {
        LeadRuleVersion v = rule(List.of(event("view")), null, 0, Duration.ofMinutes(30), false);
        Outcome o = run(v, T0.plus(Duration.ofHours(2)), at(0, "1"), at(10, "1"), at(20, "0"), at(45, "1"));
        assertThat(o.fires()).extracting(LeadMatcher.Fire::triggeredAt)
                .containsExactly(T0, T0.plus(Duration.ofMinutes(45)));
        assertThat(o.fires().get(0).dedupKey()).isNotBlank();
        assertThat(o.matches()).isEmpty();
    }

    @Test
    void aSequenceFiresWhenItsStepsComeInOrderWithinTheWindowWithOtherEventsBetween() {
        LeadRuleVersion v = rule(List.of(event("a"), then("c", null), then("d", null)), Duration.ofHours(2), 0, null, false);
        // slots: a, c, d
        Outcome o = run(v, T0.plus(Duration.ofMinutes(50)), at(0, "100"), at(5, "001"), at(10, "010"), at(20, "000"),
                at(40, "001"));
        assertThat(o.fires()).hasSize(1);
        assertThat(o.fires().get(0).events()).extracting(LeadView.TraceEvent::step).containsExactly(0, 1, 2);
        assertThat(o.fires().get(0).triggeredAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
    }

    @Test
    void aSequenceOutsideItsWindowExpiresAndTheNextFirstEventStartsAgain() {
        LeadRuleVersion v = rule(List.of(event("a"), then("c", null)), Duration.ofMinutes(30), 0, null, false);
        Outcome o = run(v, T0.plus(Duration.ofMinutes(100)), at(0, "10"), at(31, "01"), at(60, "10"), at(70, "01"));
        assertThat(o.fires()).extracting(LeadMatcher.Fire::triggeredAt).containsExactly(T0.plus(Duration.ofMinutes(70)));
    }

    @Test
    void anAbsenceFiresAtItsDeadlineByTheClockAloneAndNotWhenTheEventCame() {
        LeadRuleVersion v = rule(List.of(event("cart"), not("pay", Duration.ofMinutes(30))), Duration.ofHours(1), 0,
                null, false);
        Outcome pending = run(v, T0.plus(Duration.ofMinutes(29)), at(0, "10"));
        assertThat(pending.fires()).isEmpty();
        assertThat(pending.matches().values()).singleElement().satisfies(m ->
                assertThat(m.dueAt()).isEqualTo(T0.plus(Duration.ofMinutes(30))));
        Outcome due = run(v, T0.plus(Duration.ofMinutes(30)));
        assertThat(due.fires()).singleElement().satisfies(f -> {
            assertThat(f.triggeredAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
            assertThat(f.events()).extracting(LeadView.TraceEvent::absent).containsExactly(false, true);
        });
        assertThat(due.matches()).isEmpty();

        Outcome paid = run(v, T0.plus(Duration.ofMinutes(200)), at(100, "10"), at(110, "01"));
        assertThat(paid.fires()).isEmpty();
        assertThat(paid.matches()).isEmpty();
    }

    @Test
    void anEventAtTheDeadlineOrLaterNoLongerStopsTheAbsence() {
        LeadRuleVersion v = rule(List.of(event("cart"), not("pay", Duration.ofMinutes(30))), Duration.ofHours(1), 0,
                null, false);
        Outcome o = run(v, T0.plus(Duration.ofMinutes(31)), at(0, "10"), at(30, "01"));
        assertThat(o.fires()).extracting(LeadMatcher.Fire::triggeredAt).containsExactly(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void anAbsenceBetweenStepsLetsTheSequenceGoOnAfterItsDeadline() {
        // a, then no b for 10 minutes, then c: a c before the 10 minutes does not count
        LeadRuleVersion v = rule(List.of(event("a"), not("b", Duration.ofMinutes(10)), then("c", null)),
                Duration.ofHours(1), 0, null, false);
        Outcome o = run(v, T0.plus(Duration.ofMinutes(30)), at(0, "100"), at(5, "001"), at(20, "001"));
        assertThat(o.fires()).singleElement().satisfies(f -> assertThat(f.triggeredAt())
                .isEqualTo(T0.plus(Duration.ofMinutes(20))));
    }

    @Test
    void aLateEventOlderThanTheMatchsLastStepDoesNotMoveItOn() {
        LeadRuleVersion v = rule(List.of(event("a"), then("c", null), then("d", null)), Duration.ofHours(2), 0, null,
                false);
        run(v, T0.plus(Duration.ofMinutes(20)), at(0, "100"), at(20, "010"));
        Outcome late = run(v, T0.plus(Duration.ofMinutes(30)), at(10, "001"));
        assertThat(late.fires()).isEmpty();
        assertThat(late.matches()).hasSize(1);
    }

    @Test
    void aConversionDropsThePendingMatchAndClosesUnworkedLeadsMadeBeforeIt() {
        LeadRuleVersion v = rule(List.of(event("view")), null, 1, null, false);
        UUID earlier = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        unworked.add(new LeadMatcher.Unworked(earlier, v.ruleId(), T0));
        unworked.add(new LeadMatcher.Unworked(later, v.ruleId(), T0.plus(Duration.ofMinutes(20))));
        Outcome o = run(v, T0.plus(Duration.ofMinutes(30)), at(10, "01"));
        assertThat(o.converted()).extracting(LeadMatcher.Converted::leadId).containsExactly(earlier);
        assertThat(o.fires()).isEmpty();

        LeadRuleVersion seq = rule(List.of(event("cart"), not("pay", Duration.ofMinutes(30))), Duration.ofHours(1), 1,
                null, false);
        unworked.clear();
        Outcome dropped = run(seq, T0.plus(Duration.ofMinutes(40)), at(0, "100"), at(5, "001"));
        assertThat(dropped.fires()).isEmpty();
        assertThat(dropped.matches()).isEmpty();
    }

    @Test
    void theCustomerConditionIsCheckedWhenTheRuleFires() {
        LeadRuleVersion v = rule(List.of(event("view")), null, 0, null, true);
        assertThat(run(v, T0, at(0, "1")).fires()).isEmpty();
        passes = Set.of(LeadMatcher.key(v.ruleId(), v.version()));
        assertThat(run(v, T0, at(0, "1")).fires()).hasSize(1);
    }

    @Test
    void aFirstStepEventWhileAMatchIsPendingStartsNothing() {
        LeadRuleVersion v = rule(List.of(event("cart"), not("pay", Duration.ofMinutes(30))), Duration.ofHours(1), 0,
                null, false);
        Outcome o = run(v, T0.plus(Duration.ofMinutes(45)), at(0, "10"), at(20, "10"));
        assertThat(o.fires()).singleElement().satisfies(f -> assertThat(f.triggeredAt())
                .isEqualTo(T0.plus(Duration.ofMinutes(30))));
        assertThat(o.matches()).isEmpty();
    }
    // Late and out-of-order events (docs/leads.md: "Late and out-of-order events"): each case in one batch and in two, in
    // both arrival orders, with the same outcome. "cart, then no pay within 20 minutes" with pay its conversion:
    // slots cart, pay (the absence step), pay (the conversion).

    private static LeadRuleVersion unpaidCarts(int conversions) {
        return rule(List.of(event("cart"), not("pay", Duration.ofMinutes(20))), Duration.ofHours(1), conversions, null,
                false);
    }

    private static Event cart(long minutes) {
        return at(minutes, "100");
    }

    private static Event pay(long minutes) {
        return at(minutes, "011");
    }

    @Test
    void aPaymentDatedBeforeTheCartDoesNotStopTheAbsenceWhicheverBatchItArrivesIn() {
        for (int conversions : List.of(0, 1)) {
            LeadRuleVersion v = unpaidCarts(conversions);
            Outcome together = run(v, T0.plus(Duration.ofMinutes(40)), cart(10), pay(5));
            assertThat(together.fires()).extracting(LeadMatcher.Fire::triggeredAt)
                    .containsExactly(T0.plus(Duration.ofMinutes(30)));

            matches.clear();
            assertThat(run(v, T0.plus(Duration.ofMinutes(11)), cart(10)).matches()).hasSize(1);
            Outcome late = run(v, T0.plus(Duration.ofMinutes(13)), pay(5));
            assertThat(late.matches()).as("the pending match stays (conversions: %d)", conversions).hasSize(1);
            assertThat(run(v, T0.plus(Duration.ofMinutes(40))).fires()).extracting(LeadMatcher.Fire::triggeredAt)
                    .containsExactly(T0.plus(Duration.ofMinutes(30)));
            matches.clear();
        }
    }

    @Test
    void aPaymentAtTheCartsInstantIsNotAfterItInEitherOrder() {
        LeadRuleVersion v = unpaidCarts(1);
        Event cart = cart(10);
        Event pay = pay(10);
        assertThat(run(v, T0.plus(Duration.ofMinutes(40)), cart, pay).fires()).hasSize(1);
        matches.clear();
        assertThat(run(v, T0.plus(Duration.ofMinutes(40)), pay, cart).fires()).hasSize(1);
        matches.clear();
        run(v, T0.plus(Duration.ofMinutes(11)), cart);
        assertThat(run(v, T0.plus(Duration.ofMinutes(40)), pay).fires()).hasSize(1);
    }

    @Test
    void aPaymentInsideTheWindowStopsTheAbsenceInOneBatchOrInTwoBeforeTheDeadline() {
        for (int conversions : List.of(0, 1)) {
            LeadRuleVersion v = unpaidCarts(conversions);
            Outcome together = run(v, T0.plus(Duration.ofMinutes(40)), pay(15), cart(10));
            assertThat(together.fires()).isEmpty();
            assertThat(together.matches()).isEmpty();

            run(v, T0.plus(Duration.ofMinutes(11)), cart(10));
            Outcome apart = run(v, T0.plus(Duration.ofMinutes(29)), pay(15));
            assertThat(apart.matches()).isEmpty();
            assertThat(run(v, T0.plus(Duration.ofMinutes(40))).fires()).isEmpty();
        }
    }

    @Test
    void aConversionArrivingAfterTheAbsenceFiredClosesTheLeadItWouldHavePrevented() {
        LeadRuleVersion v = unpaidCarts(1);
        Outcome fired = run(v, T0.plus(Duration.ofMinutes(25)), cart(0));
        LeadMatcher.Fire lead = fired.fires().get(0);
        assertThat(lead.triggeredAt()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
        // as the worker reads it back: started at its first event
        unworked.add(new LeadMatcher.Unworked(lead.leadId(), v.ruleId(), lead.events().get(0).occurredAt()));

        assertThat(run(v, T0.plus(Duration.ofMinutes(26)), pay(-5)).converted()).as("dated before the cart").isEmpty();
        Outcome late = run(v, T0.plus(Duration.ofMinutes(27)), pay(10));
        assertThat(late.converted()).extracting(LeadMatcher.Converted::leadId).containsExactly(lead.leadId());
        assertThat(late.fires()).isEmpty();
    }

    @Test
    void aLateAbsentEventThatIsNoConversionLeavesADecidedDeadlineDecided() {
        LeadRuleVersion v = unpaidCarts(0);
        assertThat(run(v, T0.plus(Duration.ofMinutes(25)), cart(0)).fires()).hasSize(1);
        Outcome late = run(v, T0.plus(Duration.ofMinutes(26)), pay(10));
        assertThat(late.converted()).isEmpty();
        assertThat(late.matches()).isEmpty();
    }

    @Test
    void aConversionDropsOnlyAMatchStartedBeforeIt() {
        LeadRuleVersion v = rule(List.of(event("a"), then("b", null)), Duration.ofHours(1), 1, null, false);
        // slots: a, b, conversion
        Event a = at(10, "100");
        Event b = at(20, "010");
        Event early = at(5, "001");
        Event between = at(15, "001");
        assertThat(run(v, T0.plus(Duration.ofMinutes(30)), a, early, b).fires()).hasSize(1);
        matches.clear();
        run(v, T0.plus(Duration.ofMinutes(11)), a);
        run(v, T0.plus(Duration.ofMinutes(12)), early);
        assertThat(run(v, T0.plus(Duration.ofMinutes(30)), b).fires()).hasSize(1);

        matches.clear();
        assertThat(run(v, T0.plus(Duration.ofMinutes(30)), a, between, b).fires()).isEmpty();
        matches.clear();
        run(v, T0.plus(Duration.ofMinutes(11)), a);
        run(v, T0.plus(Duration.ofMinutes(16)), between);
        assertThat(run(v, T0.plus(Duration.ofMinutes(30)), b).fires()).isEmpty();
    }

    @Test
    void aStepOlderThanTheLastStepOrAtItsInstantDoesNotFollowItInOneBatchOrInTwo() {
        LeadRuleVersion v = rule(List.of(event("a"), then("c", null), then("d", null)), Duration.ofHours(2), 0, null,
                false);
        for (long d : List.of(10L, 20L)) {
            Outcome together = run(v, T0.plus(Duration.ofMinutes(30)), at(0, "100"), at(20, "010"), at(d, "001"));
            assertThat(together.fires()).isEmpty();
            assertThat(together.matches()).hasSize(1);
            matches.clear();
            run(v, T0.plus(Duration.ofMinutes(20)), at(0, "100"), at(20, "010"));
            Outcome late = run(v, T0.plus(Duration.ofMinutes(30)), at(d, "001"));
            assertThat(late.fires()).isEmpty();
            assertThat(late.matches()).hasSize(1);
            matches.clear();
        }
    }

    @Test
    void theCooldownSeparatesALateEventsLeadFromANewerOneOnEitherSide() {
        LeadRuleVersion v = rule(List.of(event("view")), null, 0, Duration.ofMinutes(30), false);
        Event early = at(0, "1");
        Event near = at(80, "1");
        Event newest = at(100, "1");
        assertThat(run(v, T0.plus(Duration.ofHours(2)), early, newest).fires()).hasSize(2);

        last.clear();
        last.put(v.ruleId(), run(v, T0.plus(Duration.ofHours(2)), newest).fires().get(0).triggeredAt());
        Outcome late = run(v, T0.plus(Duration.ofHours(2)), early, near);
        assertThat(late.fires()).extracting(LeadMatcher.Fire::triggeredAt).containsExactly(T0);
    }
}
