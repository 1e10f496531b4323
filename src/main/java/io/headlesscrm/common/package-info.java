/**
 * What the features share.
 * <p>
 * <b>Transactions: one style per client.</b> Hibernate work runs in {@code Panache.withTransaction(() -> ...)}, not
 * {@code @WithTransaction}, so a method's transaction is visible where it starts and ends; SQL-client work runs in
 * {@code pool.withTransaction(conn -> ...)}, handing {@code conn} to whatever writes. Work to do once the change
 * has committed (invalidate a cache, tell another instance) is registered with {@link io.headlesscrm.common.AfterCommit}
 * in either style, never chained after the transaction's {@code Uni}; it does not run after a rollback. Webhook
 * messages are written only through {@code webhook.Outbox}, which wakes the dispatcher after the commit by itself.
 *
 * <pre>{@code
 * // Hibernate
 * return Panache.withTransaction(() -> repository.persistAndFlush(tag)
 *         .call(saved -> outbox.enqueue(List.of(event(saved))))
 *         .call(saved -> AfterCommit.invoke(() -> cache.invalidate(saved.getKey()))));
 * // SQL client
 * return pool.withTransaction(conn -> outbox.write(conn, MOVE, params)
 *         .invoke(rows -> AfterCommit.invoke(conn, () -> cache.invalidate(id))));
 * }</pre>
 */
package io.headlesscrm.common;
