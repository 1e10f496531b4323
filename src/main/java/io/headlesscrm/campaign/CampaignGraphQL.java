package io.headlesscrm.campaign;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.GraphQLException;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;
import org.eclipse.microprofile.graphql.Type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.headlesscrm.common.Jsons;
import io.headlesscrm.campaign.CampaignStatus.Action;
import io.headlesscrm.common.Ids;
import io.headlesscrm.common.error.ProblemException;
import io.headlesscrm.common.error.UserError;
import io.headlesscrm.common.paging.Connections;
import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageInfo;
import io.headlesscrm.security.Permissions;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Campaigns over GraphQL: the same services and rules as REST, domain errors as userErrors. A definition is written
 * and read as one JSON object in the shape of the REST CampaignInput.
 */
@GraphQLApi
public class CampaignGraphQL {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    @Inject
    CampaignService service;
    @Inject
    CampaignLifecycle lifecycle;
    @Inject
    CampaignRuns runs;
    @Inject
    CampaignReports reports;
    @Inject
    CampaignDryRun dryRuns;
    @Inject
    PageConfig paging;
    @Inject
    ObjectMapper mapper;
    @Inject
    SecurityIdentity identity;

    @Type("CampaignConnection")
    public record Connection(@NonNull List<@NonNull Edge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("CampaignEdge")
    public record Edge(@NonNull String cursor, @NonNull CampaignView node) {
    }

    @Type("CampaignRunConnection")
    public record RunConnection(@NonNull List<@NonNull RunEdge> edges, @NonNull PageInfo pageInfo) {
    }

    @Type("CampaignRunEdge")
    public record RunEdge(@NonNull String cursor, @NonNull CampaignRuns.RunView node) {
    }

    @Type("CampaignPayload")
    public record Payload(CampaignView campaign, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Type("DeleteCampaignPayload")
    public record DeletePayload(@Id String id, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Type("CampaignDryRunPayload")
    public record DryRunPayload(CampaignDryRun.Result dryRun, @NonNull List<@NonNull UserError> userErrors) {
    }

    @Input("CampaignDefinitionInput")
    @Description("A campaign definition, a JSON object in the shape of the REST CampaignInput")
    public record DefinitionInput(@NonNull JsonObject definition) {
    }

    @Input("CampaignPatchInput")
    @Description("A JSON merge patch of a campaign's definition; lists and objects given replace the old ones whole")
    public record PatchInput(@NonNull JsonObject patch) {
    }

    @Type("CampaignOutcomeCount")
    @Description("Recipients with one outcome")
    public record OutcomeCount(@NonNull String outcome, long count) {
    }

    @Type("CampaignVariantOutcomes")
    @Description("One variant's recipients per outcome")
    public record VariantOutcomes(@NonNull String variant, @NonNull List<@NonNull OutcomeCount> outcomes) {
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Query("campaign")
    @Description("A campaign by id, or null when there is none")
    public Uni<CampaignView> campaign(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.get(Ids.parse(id, "id")))
                .onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Query("campaigns")
    @Description("Campaigns oldest first, page by page (first/after), optionally in one status")
    public Uni<Connection> campaigns(@Description("Page size, 1 to 100") @DefaultValue("20") Integer first,
            @Description("endCursor of the previous page") String after, CampaignStatus status) throws GraphQLException {
        Connections.Request page = Connections.request(paging, first, CampaignRepository.KEYSET, after);
        Cursor cursor = page.after();
        int limit = page.limit();
        return service.list(status, cursor, limit).map(slice -> Connections.of(slice, cursor,
                c -> CampaignRepository.KEYSET.cursor(null, c.id()), Edge::new, Connection::new));
    }

    @NonNull
    @Description("The definition, a JSON object in the shape of the REST CampaignInput: audience, variants, "
            + "schedule, conversion, holdoutPercent, caps, quietHours")
    public JsonObject definition(@Source CampaignView campaign) {
        return Jsons.jsonp(mapper, mapper.valueToTree(campaign.input()));
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @NonNull
    @Description("The campaign's runs, newest first, with their progress")
    public Uni<RunConnection> runs(@Source CampaignView campaign, @DefaultValue("20") Integer first, String after)
            throws GraphQLException {
        Connections.Request page = Connections.request(paging, first, CampaignRuns.KEYSET, after);
        Cursor cursor = page.after();
        int limit = page.limit();
        return runs.list(campaign.id(), cursor, limit).map(slice -> Connections.of(slice, cursor,
                r -> CampaignRuns.KEYSET.cursor(null, r.id()), RunEdge::new, RunConnection::new));
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_READ)
    @Description("A run's report (default: the latest run), with the daily trend for days after the send; null "
            + "before the first run")
    public Uni<CampaignReports.Report> report(@Source CampaignView campaign, @Id String run,
            @DefaultValue("7") Integer days) {
        return Uni.createFrom().deferred(() -> reports.of(campaign.id(), run == null ? null : Ids.parse(run, "run"),
                days)).onFailure(e -> e instanceof ProblemException p && p.status() == 404).recoverWithNull();
    }

    @NonNull
    @Description("Recipients per outcome")
    public List<@NonNull OutcomeCount> outcomes(@Source CampaignRuns.RunView run) {
        return counts(run.outcomes());
    }

    @NonNull
    @Description("Per variant, recipients per outcome")
    public List<@NonNull VariantOutcomes> variants(@Source CampaignRuns.RunView run) {
        return run.variants().entrySet().stream().map(e -> new VariantOutcomes(e.getKey(), counts(e.getValue())))
                .toList();
    }

    @NonNull
    @Description("Per variant, customers per outcome")
    public List<@NonNull VariantOutcomes> variants(@Source CampaignDryRun.Result dryRun) {
        return dryRun.variants().entrySet().stream().map(e -> new VariantOutcomes(e.getKey(), counts(e.getValue())))
                .toList();
    }

    @NonNull
    @Description("Per cap (its reason), the customers it stops")
    public List<@NonNull OutcomeCount> caps(@Source CampaignDryRun.Result dryRun) {
        return counts(dryRun.caps());
    }

    // checked here rather than by @PermissionsAllowed, whose interceptor does not see the WebSocket's identity on a
    // Multi: the identity is the one the connection authenticated (on the upgrade request or in connection_init).
    // Every refusal ends the stream the same way, a next whose errors say why and then complete: not allowed, an
    // invalid id, a campaign that does not exist (looked up first: its runs alone would wait for one forever).
    @Subscription("campaignProgress")
    @Description("The campaign's latest run, every second while it is open, and once more when it has finished "
            + "(then the stream ends); nothing before the first run starts. An unknown campaign ends it at once with "
            + "a not-found error.")
    public Multi<CampaignRuns.RunView> campaignProgress(@NonNull @Id String campaign) {
        return Multi.createFrom().deferred(() -> {
            if (!Permissions.granted(identity, Permissions.CAMPAIGNS_READ)) {
                throw new ForbiddenException("Forbidden: your roles do not allow '" + Permissions.CAMPAIGNS_READ + "'");
            }
            UUID id = Ids.parse(campaign, "campaign");
            return service.get(id).onItem().transformToMulti(found -> progress(id));
        });
    }

    private Multi<CampaignRuns.RunView> progress(UUID campaign) {
        AtomicBoolean finished = new AtomicBoolean();
        return Multi.createFrom().ticks().every(PROGRESS_EVERY).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> runs.latest(campaign))
                .filter(r -> r != null)
                // through the first finished state, then the end
                .select().first(r -> !finished.getAndSet(!open(r.status())));
    }

    private static boolean open(String status) {
        return status.equals("MATERIALISING") || status.equals("SENDING") || status.equals("PAUSED");
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Define a campaign (a draft) from a JSON definition in the shape of the REST CampaignInput")
    public Uni<Payload> createCampaign(@NonNull DefinitionInput input) {
        return payload(Uni.createFrom().deferred(() -> service.create(convert(input.definition()), null)
                .map(CampaignService.Created::campaign)));
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Change a campaign by a JSON merge patch of its definition. With expectedVersion, only if it is "
            + "still at that version.")
    public Uni<Payload> updateCampaign(@NonNull @Id String id, @NonNull PatchInput input, Long expectedVersion) {
        return payload(Uni.createFrom().deferred(() -> service.patch(Ids.parse(id, "id"), node(input.patch()),
                expectedVersion)));
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Schedule a draft")
    public Uni<Payload> scheduleCampaign(@NonNull @Id String id) {
        return act(id, Action.SCHEDULE);
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Pause a scheduled or running campaign: no touchpoint is created after it returns")
    public Uni<Payload> pauseCampaign(@NonNull @Id String id) {
        return act(id, Action.PAUSE);
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Resume a paused campaign where it stopped")
    public Uni<Payload> resumeCampaign(@NonNull @Id String id) {
        return act(id, Action.RESUME);
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Cancel a campaign: what was sent stays, nothing more is sent")
    public Uni<Payload> cancelCampaign(@NonNull @Id String id) {
        return act(id, Action.CANCEL);
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("Delete a draft, completed or cancelled campaign and its runs")
    public Uni<DeletePayload> deleteCampaign(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> service.delete(Ids.parse(id, "id"))).map(v -> new DeletePayload(id, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new DeletePayload(null, errors)));
    }

    @PermissionsAllowed(Permissions.CAMPAIGNS_MANAGE)
    @Mutation
    @Description("What a run started now would decide, without sending or writing anything")
    public Uni<DryRunPayload> dryRunCampaign(@NonNull @Id String id) {
        return Uni.createFrom().deferred(() -> dryRuns.of(Ids.parse(id, "id"))).map(r -> new DryRunPayload(r, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new DryRunPayload(null, errors)));
    }

    private Uni<Payload> act(String id, Action action) {
        return payload(Uni.createFrom().deferred(() -> lifecycle.act(Ids.parse(id, "id"), action)));
    }

    private static Uni<Payload> payload(Uni<CampaignView> done) {
        return done.map(c -> new Payload(c, List.of()))
                .onFailure().recoverWithUni(UserError.recover(errors -> new Payload(null, errors)));
    }

    private static List<OutcomeCount> counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> new OutcomeCount(e.getKey(), e.getValue())).toList();
    }

    private CampaignInput convert(JsonObject definition) {
        try {
            return mapper.treeToValue(node(definition), CampaignInput.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw io.headlesscrm.common.error.Problems.from(e);
        }
    }

    private JsonNode node(JsonObject json) {
        try {
            return mapper.readTree(json.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
