package io.headlesscrm.tag;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import io.headlesscrm.common.graphql.NodeLoader;
import io.headlesscrm.security.Permissions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Tag definitions and background tag jobs for node(id:), each type with its own statement(s) and permission. */
@Dependent
class TagNodes {

    /** Tags with their customer counts, as the tag query shows them: two statements for any number. */
    @Produces
    @ApplicationScoped
    NodeLoader tags(TagRepository repository, TagAssignments assignments) {
        return NodeLoader.of(Permissions.TAGS_READ, 2, ids -> Panache.withSession(() -> repository.list("id in ?1", ids)
                .flatMap(tags -> tags.isEmpty()
                        ? Uni.createFrom().item(List.<TagView>of())
                        : assignments.countsFor(tags.stream().map(Tag::getId).toList()).map(counts -> tags.stream()
                                .map(t -> TagView.of(t, counts.getOrDefault(t.getId(), 0L))).toList()))));
    }

    /** Background tag jobs, readable by those who may start them (as the tagJob query). */
    @Produces
    @ApplicationScoped
    NodeLoader tagJobs(TagBulkService bulk) {
        return NodeLoader.of(Permissions.CUSTOMERS_TAG, 3, ids -> Panache.withSession(() -> Panache.getSession()
                .flatMap(s -> s.createSelectionQuery("from TagJob where id in :ids", TagJob.class).setParameter("ids", ids)
                        .getResultList()))
                .map(jobs -> jobs.stream().map(j -> TagJobView.of(j, bulk.filterOf(j))).toList()));
    }
}
