package io.headlesscrm.tag;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.headlesscrm.common.paging.Cursor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
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
        StringBuilder hql = new StringBuilder("from Tag t where true");
        Parameters params = new Parameters();
        if (category != null) {
            hql.append(" and t.category = :category");
            params.and("category", category);
        }
        if (cursor != null) {
            hql.append(" and t.key > :after");
            params.and("after", cursor.key());
        }
        return find(hql.append(" order by t.key").toString(), params).range(0, limit - 1).list();
    }
}
