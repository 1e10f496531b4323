package io.headlesscrm.common;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.hibernate.reactive.engine.ReactiveAfterTransactionCompletionProcess;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.session.ReactiveSession;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;

/**
 * The one way to do something once the current transaction has committed (invalidate a cache, wake the webhook
 * dispatcher), in either transaction style (see the package doc): a write registers it while its transaction runs,
 * and it runs right after the commit, before the transaction's {@code Uni} completes, so the answer goes out after
 * it. After a rollback, or a commit that fails, it does not run.
 * <p>
 * Hibernate work ({@code Panache.withTransaction}) rides on Hibernate Reactive's own after-transaction-completion
 * queue (the one its second-level cache uses), which {@code withTransaction} drains after the commit; SQL-client work
 * ({@code pool.withTransaction}) on the completion of the connection's transaction, which succeeds only with its
 * commit. A failing action is logged, never raised: the commit stands, and a failure would otherwise answer a write
 * that happened with an error.
 */
public final class AfterCommit {

    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    private AfterCommit() {
    }

    /** Registers {@code action}, to run after the current transaction commits; registration happens on subscription. */
    public static Uni<Void> invoke(Runnable action) {
        return call(() -> {
            action.run();
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Registers {@code action}, to run after the SQL-client transaction {@code conn} is in commits (from
     * {@code pool.withTransaction}); registration happens at once.
     */
    public static void invoke(SqlConnection conn, Runnable action) {
        Transaction transaction = conn.getDelegate().transaction();
        if (transaction == null) {
            throw new IllegalStateException("After-commit work can only be registered inside a transaction");
        }
        // a rollback fails the completion (TransactionRollbackException): nothing to run, nothing to report
        transaction.completion().onSuccess(v -> run(() -> Uni.createFrom().item(() -> {
            action.run();
            return null;
        })));
    }

    /** Registers {@code action}, subscribed to after the current transaction commits and awaited before its end. */
    public static Uni<Void> call(Supplier<Uni<?>> action) {
        return Panache.getSession().invoke(session -> register(session, action)).replaceWithVoid();
    }

    private static void register(Mutiny.Session session, Supplier<Uni<?>> action) {
        Mutiny.Transaction transaction = session.currentTransaction();
        if (transaction == null) {
            throw new IllegalStateException("After-commit work can only be registered inside a transaction");
        }
        if (!(session instanceof MutinySessionImpl mutiny)) {
            throw new IllegalStateException("Not a Hibernate Reactive session: " + session.getClass());
        }
        ReactiveAfterTransactionCompletionProcess process = (success, s) -> success
                // a rolled-back transaction leaves its work queued in the session; a later one must not run it
                && session.currentTransaction() == transaction ? run(action) : Uni.createFrom().voidItem()
                        .subscribeAsCompletionStage();
        mutiny.unwrap(ReactiveSession.class).getReactiveActionQueue().registerProcess(process);
    }

    private static CompletionStage<Void> run(Supplier<Uni<?>> action) {
        return Uni.createFrom().deferred(action).onFailure().invoke(e -> LOG.error("After-commit work failed", e))
                .onFailure().recoverWithNull().replaceWithVoid().subscribeAsCompletionStage();
    }
}
