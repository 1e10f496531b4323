package io.headlesscrm.tag;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.paging.Cursor;
import io.headlesscrm.common.paging.KeysetQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TagRepository implements PanacheRepositoryBase<Tag, UUID> {

    Uni<Tag> findByKey(String key) {
        return find("key", key).firstResult();
    }

    /** The tags among {@code keys} that exist. */
    Uni<List<Tag>> findByKeys(Collection<String> keys) {
        return list("key in ?1", keys);
    }

    /** Tags in key order after {@code cursor} (null: from the start), optionally of one category. */
    Uni<List<Tag>> page(String category, Cursor cursor, int limit) {
        KeysetQuery q = KeysetQuery.hql("from Tag t").whereIf(category, "t.category = ?")
                .page(TagService.KEYSET, cursor, limit);
        return find(q.query(), q.named()).range(0, q.fetch() - 1).list();
    }
}
