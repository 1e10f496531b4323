package io.headlesscrm.touchpoint;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Touchpoints created together, all or none. */
public final class TouchpointBatch {

    static final int MAX_ITEMS = 500;

    private TouchpointBatch() {
    }

    @Schema(name = "TouchpointBatchInput")
    public record Input(@NotNull @Size(min = 1, max = MAX_ITEMS) @Valid List<@NotNull @Valid TouchpointInput> items) {
    }

    @Schema(name = "TouchpointBatchResult", description = "The touchpoints in the order asked; created counts the "
            + "queued and the suppressed ones made by this call, replayed those an idempotency key returned")
    public record Result(List<TouchpointView> items, int created, int suppressed, int replayed) {
    }
}
