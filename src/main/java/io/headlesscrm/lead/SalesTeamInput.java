package io.headlesscrm.lead;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.headlesscrm.tag.TagInput;

/** A sales team as a client writes it: its reps are given whole (a change replaces the list). */
@Schema(name = "SalesTeamInput")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SalesTeamInput(
        @NotBlank @Pattern(regexp = TagInput.KEY_PATTERN, message = TagInput.KEY_RULE)
        @Schema(required = true, examples = "north") String key,
        @NotBlank @Size(max = 200) @Schema(required = true, examples = "North") String name,
        @NotNull @Size(max = 500) @Schema(required = true) List<@NotNull @Valid Rep> reps) {

    @Schema(name = "SalesRep")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rep(
            @NotBlank @Size(max = 255) @Schema(required = true, description = "The rep as the API knows them: a Keycloak "
                    + "subject or an API key id", examples = "5f0c6a1e-8f3b-4c1d-9a7e-2b6d4e8f1a3c") String actorId,
            @Size(max = 200) @Schema(examples = "Li Lei") String name,
            @Size(max = 100) @Schema(description = "Matched against the customer attribute a TERRITORY rule names",
                    examples = "Beijing") String territory,
            @Min(1) @Max(100000) @Schema(description = "At most this many open leads from automatic assignment "
                    + "(default: no cap)") Integer maxOpenLeads,
            @Schema(description = "Default true; an inactive rep gets no new leads") Boolean active) {

        boolean isActive() {
            return active == null || active;
        }
    }
}
