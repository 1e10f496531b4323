package io.headlesscrm.security;

import java.util.List;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** Who the caller is and what it may do: for front ends deciding what to show, and for checking credentials. */
@Path("/api/v1/me")
@Tag(name = "Identity", description = "The caller")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Schema(name = "Me", description = "The caller: who it is, its roles, and the permissions they grant")
    public record Me(Actor actor, List<String> roles, List<String> permissions) {
    }

    @Inject
    SecurityIdentity identity;

    @GET
    @Authenticated
    @Operation(operationId = "getMe", summary = "Who am I", description = "Any authenticated caller; no data beyond its own identity.")
    @APIResponse(responseCode = "200", description = "The caller")
    public Me me() {
        return new Me(Actor.of(identity), List.copyOf(new TreeSet<>(identity.getRoles())),
                List.copyOf(new TreeSet<>(Permissions.granted(identity))));
    }
}
