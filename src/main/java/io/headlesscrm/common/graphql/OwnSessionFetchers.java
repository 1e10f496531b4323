package io.headlesscrm.common.graphql;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.dataloader.BatchLoaderEnvironment;

import graphql.schema.DataFetchingEnvironment;
import io.quarkus.smallrye.graphql.runtime.spi.datafetcher.QuarkusCompletionStageDataFetcher;
import io.quarkus.smallrye.graphql.runtime.spi.datafetcher.QuarkusDataFetcherService;
import io.quarkus.smallrye.graphql.runtime.spi.datafetcher.QuarkusUniDataFetcher;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.graphql.execution.datafetcher.PlugableBatchableDataFetcher;
import io.smallrye.graphql.schema.model.Operation;
import io.smallrye.graphql.schema.model.Type;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * Every asynchronous GraphQL data fetcher and batch loader runs on a Vert.x context of its own, so each opens its
 * own Hibernate Reactive session.
 * <p>
 * graphql-java resolves the fields of a query concurrently (the root fields, and the same field of each list
 * item), and Panache keeps "the current session" in the Vert.x context: two fetchers on the request's context
 * shared one session, which is single-stream, and both answered "System error" (quarkusio/quarkus#32870). Here
 * each fetcher gets a nested duplicate of the caller's context: a copy of its locals (request scope, identity,
 * logging) without the session, so whatever it reads opens, uses and closes a session of its own. Mutations
 * still run one after another, each in one transaction.
 * <p>
 * Registered as SmallRye's {@code DataFetcherService} (META-INF/services) ahead of Quarkus's, whose fetchers it
 * wraps unchanged; recheck it when Quarkus is upgraded ({@code ConcurrentFieldsTest} fails if it stops working).
 * Being the one door every asynchronous field passes, it also applies the text rule to their arguments
 * ({@link TextArguments}).
 */
public final class OwnSessionFetchers extends QuarkusDataFetcherService {

    @Override
    public Integer getPriority() {
        return 0; // ahead of Quarkus's own service (1): SmallRye asks the lowest first
    }

    @Override
    public PlugableBatchableDataFetcher<?, ?> getUniDataFetcher(Operation operation, Type type) {
        return new OwnContext<>(new QuarkusUniDataFetcher<>(operation, type));
    }

    @Override
    public PlugableBatchableDataFetcher<?, ?> getCompletionStageDataFetcher(Operation operation, Type type) {
        return new OwnContext<>(new QuarkusCompletionStageDataFetcher<>(operation, type));
    }

    /** A fetcher that starts its work on a context of its own; its I/O then completes there too. */
    private record OwnContext<K, T>(PlugableBatchableDataFetcher<K, T> fetcher) implements PlugableBatchableDataFetcher<K, T> {

        @Override
        public T get(DataFetchingEnvironment environment) throws Exception {
            TextArguments.check(environment.getArguments());
            ContextInternal own = own();
            if (own == null) {
                return fetcher.get(environment);
            }
            ContextInternal previous = own.beginDispatch();
            try {
                return fetcher.get(environment);
            } finally {
                own.endDispatch(previous);
            }
        }

        @Override
        public CompletionStage<List<T>> load(List<K> keys, BatchLoaderEnvironment environment) {
            ContextInternal own = own();
            if (own == null) {
                return fetcher.load(keys, environment);
            }
            ContextInternal previous = own.beginDispatch();
            try {
                return fetcher.load(keys, environment);
            } finally {
                own.endDispatch(previous);
            }
        }

        /** A nested duplicate of the current context without its Hibernate Reactive sessions; null off Vert.x. */
        private static ContextInternal own() {
            Context current = Vertx.currentContext();
            if (current == null || !VertxContext.isDuplicatedContext(current)) {
                return null;
            }
            ContextInternal own = (ContextInternal) VertxContext.newNestedContext(current);
            own.localContextData().keySet().removeIf(OwnContext::holdsASession);
            return own;
        }

        /** Panache's and Hibernate Reactive's keys: the session itself, and its "open one on demand" markers. */
        private static boolean holdsASession(Object key) {
            return key instanceof org.hibernate.reactive.context.Context.Key<?>
                    || key instanceof String name && name.startsWith("hibernate.reactive.");
        }
    }
}
