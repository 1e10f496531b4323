package io.headlesscrm.lead;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sales team as the API shows it. */
@Schema(name = "SalesTeam")
public record SalesTeamView(@Schema(required = true) UUID id, @Schema(required = true) String key,
        @Schema(required = true) String name, @Schema(required = true) List<SalesTeamInput.Rep> reps,
        @Schema(required = true) Instant createdAt, @Schema(required = true) Instant updatedAt,
        @Schema(required = true) long version) {

    SalesTeamInput input() {
        return new SalesTeamInput(key, name, reps);
    }

    String etag() {
        return Long.toString(version);
    }
}
