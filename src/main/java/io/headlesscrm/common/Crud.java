package io.headlesscrm.common;

import java.net.URI;
import java.util.UUID;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.Keyset;
import io.headlesscrm.common.paging.Page;
import io.headlesscrm.common.paging.PageConfig;
import io.headlesscrm.common.paging.PageLinks;
import io.smallrye.mutiny.Uni;

/**
 * The one shape of a simple CRUD resource's bodies: create answers 201 with a Location and an ETag, list pages by
 * the id keyset, get and patch answer with the ETag (patch honouring If-Match), delete answers 204. The resource
 * keeps only its JAX-RS and OpenAPI annotations (its path, permissions and the words of its API), each method
 * calling the same-named one here.
 *
 * @param <I> what create takes
 * @param <V> the view every method answers with
 */
public final class Crud<I, V> {

    /** What a simple CRUD resource's service offers; {@code expectedVersion} is null when any version may change. */
    public interface Service<I, V> {

        Uni<V> create(I input);

        Uni<V> get(UUID id);

        Uni<Page.Slice<V>> list(Cursor after, int limit);

        Uni<V> patch(UUID id, JsonNode patch, Long expectedVersion);

        Uni<Void> delete(UUID id);
    }

    private final Service<I, V> service;
    private final String path;
    private final Keyset keyset;
    private final PageConfig paging;
    private final Function<V, UUID> id;
    private final Function<V, String> etag;

    /** {@code path} is the collection's path, a created one's Location being {@code path/id}. */
    public Crud(Service<I, V> service, String path, Keyset keyset, PageConfig paging, Function<V, UUID> id,
            Function<V, String> etag) {
        this.service = service;
        this.path = path;
        this.keyset = keyset;
        this.paging = paging;
        this.id = id;
        this.etag = etag;
    }

    public Uni<Response> create(I input) {
        return service.create(input).map(v -> Response.created(URI.create(path + "/" + id.apply(v))).entity(v)
                .tag(etag.apply(v)).build());
    }

    /** {@code limit} and {@code cursor} as the query gave them (checked here: a bad one is a 400). */
    public Uni<Page<V>> list(String limit, String cursor, UriInfo uri) {
        int size = paging.limit(Http.intParam(limit, "limit"), "limit");
        return service.list(keyset.fromParam(cursor, "cursor"), size).map(slice -> PageLinks.page(slice, uri));
    }

    public Uni<Response> get(UUID id) {
        return service.get(id).map(this::tagged);
    }

    public Uni<Response> patch(UUID id, JsonNode patch, String ifMatch) {
        return service.patch(id, patch, Http.ifMatchVersion(ifMatch)).map(this::tagged);
    }

    public Uni<Response> delete(UUID id) {
        return service.delete(id).map(v -> Response.noContent().build());
    }

    private Response tagged(V view) {
        return Response.ok(view).tag(etag.apply(view)).build();
    }
}
