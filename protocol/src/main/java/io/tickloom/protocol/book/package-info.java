/**
 * Limit order book kernels (SPEC §3): plain Java, no Pekko, {@code long} fixed-point prices and sizes, no
 * allocation per update.
 *
 * <ul>
 *   <li>{@link io.tickloom.protocol.book.OrderBook}: the read side and the features (best bid/ask, spread, mid,
 *       microprice, top-N imbalance, depth per side), shared by both books.
 *   <li>{@link io.tickloom.protocol.book.L2Book}: price level → size from a snapshot and deltas with update ids
 *       (Binance's sync rule: stale deltas dropped, continuity required, a gap forces a resync).
 *   <li>{@link io.tickloom.protocol.book.L3Book}: order id → (side, price, size) with the visible levels in step.
 *   <li>{@link io.tickloom.protocol.book.BookResult}, {@link io.tickloom.protocol.book.BookIntegrityListener}: what
 *       an update did; integrity events (crossed/locked book, unknown or duplicate order, negative or over-cancelled
 *       size, sequence gap) are counted, reported and flag the book as needing a snapshot, never silently absorbed.
 *   <li>{@link io.tickloom.protocol.book.LobsterReplay}, {@link io.tickloom.protocol.book.OfflineBook}: LOBSTER's
 *       level-N book and the offline {@code book} command.
 * </ul>
 * Slow reference implementations of both books (TreeMap/HashMap) live in the tests, which drive each pair with
 * seeded random messages and compare the full state after every step. See {@code docs/book.md}.
 */
package io.tickloom.protocol.book;
