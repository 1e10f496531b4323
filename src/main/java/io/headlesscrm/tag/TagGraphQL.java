package io.headlesscrm.tag;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;

import io.headlesscrm.customer.CustomerView;
import io.smallrye.mutiny.Uni;

/** Tags over GraphQL. */
@GraphQLApi
public class TagGraphQL {

    @Inject
    TagAssignments assignments;

    /** Batched: the tags of a whole page of customers cost one statement. */
    @NonNull
    @Description("The customer's tags in key order; expired assignments never show")
    public Uni<List<@NonNull List<@NonNull CustomerTagView>>> tags(@Source List<CustomerView> customers) {
        return assignments.tagsOf(customers.stream().map(CustomerView::id).toList());
    }
}
