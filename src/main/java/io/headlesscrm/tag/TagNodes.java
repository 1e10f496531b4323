package io.headlesscrm.tag;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.headlesscrm.common.graphql.Node;
import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Tag definitions and background tag jobs for node(id:), each type with its own statement(s) and permission. */
final class TagNodes {

    private TagNodes() {
    }

    /** Tags with their customer counts, as the tag query shows them: two statements for any number. */
    @ApplicationScoped
    static class Tags implements NodeLoader {

        @Inject
        TagRepository repository;
        @Inject
        TagAssignments assignments;
        @Inject
        SecurityIdentity identity;

        @Override
        public Uni<Map<UUID, Node>> load(List<UUID> ids) {
            return Panache.withSession(() -> repository.list("id in ?1", ids).flatMap(tags -> tags.isEmpty()
                    ? Uni.createFrom().item(Map.<UUID, Node>of())
                    : assignments.countsFor(tags.stream().map(Tag::getId).toList()).map(counts -> {
                        Map<UUID, Node> byId = new HashMap<>();
                        tags.forEach(t -> byId.put(t.getId(), TagView.of(t, counts.getOrDefault(t.getId(), 0L))));
                        return byId;
                    })));
        }

        @Override
        public boolean readable() {
            return Permissions.granted(identity, Permissions.TAGS_READ);
        }

        @Override
        public String permission() {
            return Permissions.TAGS_READ;
        }

        @Override
        public int order() {
            return 2;
        }
    }

    /** Background tag jobs, readable by those who may start them (as the tagJob query). */
    @ApplicationScoped
    static class Jobs implements NodeLoader {

        @Inject
        TagBulkService bulk;
        @Inject
        SecurityIdentity identity;

        @Override
        public Uni<Map<UUID, Node>> load(List<UUID> ids) {
            return Panache.withSession(() -> Panache.getSession().flatMap(s -> s
                    .createSelectionQuery("from TagJob where id in :ids", TagJob.class).setParameter("ids", ids)
                    .getResultList())).map(jobs -> {
                        Map<UUID, Node> byId = new HashMap<>();
                        jobs.forEach(j -> byId.put(j.getId(), TagJobView.of(j, bulk.filterOf(j))));
                        return byId;
                    });
        }

        @Override
        public boolean readable() {
            return Permissions.granted(identity, Permissions.CUSTOMERS_TAG);
        }

        @Override
        public String permission() {
            return Permissions.CUSTOMERS_TAG;
        }

        @Override
        public int order() {
            return 3;
        }
    }
}
