package io.headlesscrm.lead;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.campaign.CampaignCaps;
import io.headlesscrm.common.SqlLiteral;
import io.headlesscrm.customer.CustomerSql;
import io.headlesscrm.touchpoint.Channel;
import io.headlesscrm.touchpoint.TouchpointSql;
import io.headlesscrm.webhook.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reaches new leads whose rule says so: a touchpoint each (source LEAD, naming the lead), suppressed when the customer
 * opted out of the channel, lacks the contact it needs or has had the service's frequency caps' worth of automated
 * touchpoints, written with its touchpoint.created message in the matcher's transaction, one statement per channel.
 */
@ApplicationScoped
class LeadReach {

    // $1 touchpoint ids, $2 customers, $3 leads, $4 purposes, $5 contents
    private static final String WRITE = "WITH r AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[],"
            + " $4::text[], $5::text[]) AS r(id, customer_id, lead_id, purpose, content)),"
            + " fresh AS MATERIALIZED (SELECT r.id, r.customer_id, %s AS channel, r.purpose, CAST(r.content AS jsonb)"
            + " AS content, 'LEAD' AS source, CASE WHEN x.reason IS NULL THEN 'QUEUED' ELSE 'SUPPRESSED' END AS status,"
            + " x.reason, now() AS created_at, CAST(NULL AS uuid) AS run_id, CAST(NULL AS text) AS variant, r.lead_id"
            + " FROM r JOIN " + CustomerSql.AS_C + " ON c.id = r.customer_id CROSS JOIN LATERAL (SELECT coalesce(%s, %s) AS reason) x), "
            + "%s SELECT count(*) AS " + Outbox.MESSAGES + " FROM touchpoint_messages";

    @Inject
    CampaignCaps caps;
    @Inject
    ObjectMapper mapper;
    @Inject
    Outbox outbox;

    /** Writes the touchpoints of the made leads whose rule reaches them. */
    Uni<Void> reach(SqlConnection conn, List<LeadMatcher.Fire> made) {
        Map<Channel, List<LeadMatcher.Fire>> byChannel = new LinkedHashMap<>();
        for (LeadMatcher.Fire f : made) {
            LeadRuleInput.Reach reach = f.rule().definition().reach();
            if (reach != null) {
                byChannel.computeIfAbsent(reach.channel(), c -> new ArrayList<>()).add(f);
            }
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        for (var e : byChannel.entrySet()) {
            all = all.flatMap(v -> write(conn, e.getKey(), e.getValue()));
        }
        return all;
    }

    private Uni<Void> write(SqlConnection conn, Channel channel, List<LeadMatcher.Fire> fires) {
        int n = fires.size();
        UUID[] customers = new UUID[n];
        UUID[] leads = new UUID[n];
        String[] purposes = new String[n];
        String[] contents = new String[n];
        for (int i = 0; i < n; i++) {
            LeadMatcher.Fire f = fires.get(i);
            LeadRuleInput.Reach reach = f.rule().definition().reach();
            customers[i] = f.customerId();
            leads[i] = f.leadId();
            purposes[i] = reach.purposeOrDefault();
            contents[i] = Jsons.text(mapper, reach.content());
        }
        String sql = String.format(WRITE, SqlLiteral.text(channel.name()), TouchpointSql.suppression(channel),
                TouchpointSql.capped(channel, caps.global(), null), TouchpointSql.created("fresh"));
        return outbox.write(conn, sql, Tuple.tuple(List.of(TouchpointSql.newIds(n), customers, leads, purposes,
                contents))).replaceWithVoid();
    }
}
