package io.tickloom.protocol.format.kite;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timestamps;
import java.util.Arrays;

/**
 * Turns Kite ticker snapshots into trade {@link Tick}s, one per feed (it remembers each token's cumulative
 * volume). Kite sends snapshots, not trades: a trade is inferred when a tradable token's cumulative {@code volume}
 * grew since its previous snapshot on this connection.
 *
 * <ul>
 *   <li>{@code qty} = the volume increase; {@code price} = {@code lastPrice}; {@code tradeId} = the cumulative volume
 *       after the trade, identical on every feed that saw the same snapshot, hence the dedupe key, prefixed with the
 *       trading day ({@code istEpochDay << 40 | volume}, see {@link #tradeId}) so that the next session's volumes,
 *       which start again from zero, still rise above the last session's and are not taken for old repeats; {@code seq}
 *       {@link Tick#NO_SEQ}; no side; {@code bid}/{@code ask} the first depth level's price when positive, else
 *       {@link Tick#NO_PRICE}; status LIVE.
 *   <li>{@code exchangeTs} = {@code lastTradeTime}, else {@code exchangeTimestamp}, else the receive time (quote-mode
 *       packets carry no time, so their ticks only deduplicate against ticks of the same receive time).
 *   <li>The first snapshot of a token, and a snapshot whose volume went <b>down</b> (a new session), yield the last
 *       trade it shows: {@code qty = lastQty}, {@code tradeId = volume}, when both are positive.
 *   <li>null for: no volume increase (the volume is still recorded), LTP-mode packets and non-tradable (index)
 *       tokens (both leave the state alone).
 * </ul>
 * Not thread-safe. Allocates only the returned tick (and its table when it grows).
 */
public final class KiteTickMapper {
  private static final long EMPTY = -1L;

  private long[] keys = new long[64];
  private long[] volumes = new long[64];
  private int size;

  public KiteTickMapper() {
    Arrays.fill(keys, EMPTY);
  }

  /** {@link #onTick(KiteTick, long, Feed, int)} at the packet's own price scale. */
  public Tick onTick(KiteTick k, long receiveTsNanos, Feed feed) {
    return onTick(k, receiveTsNanos, feed, k.priceScale());
  }

  /**
   * The trade {@code k} reveals, or null (see the class comment).
   *
   * @param instrumentPriceScale the instrument's price scale: prices are rescaled from the packet's with
   *     {@link Fixed#rescale}
   * @throws IllegalArgumentException when a price does not fit the instrument's scale (e.g. 7 CDS decimals into 2);
   *     the token's volume is then not recorded, so the next snapshot reports the same increase
   */
  public Tick onTick(KiteTick k, long receiveTsNanos, Feed feed, int instrumentPriceScale) {
    if (k.mode() == KiteTick.Mode.LTP || !k.tradable()) return null;
    long volume = k.volume();
    int slot = slot(k.token());
    long qty;
    if (keys[slot] == EMPTY || volume < volumes[slot]) {
      qty = volume > 0 ? k.lastQty() : 0;
    } else {
      qty = volume - volumes[slot];
    }
    if (qty <= 0) {
      remember(slot, k.token(), volume);
      return null;
    }
    int from = k.priceScale();
    long price = rescale(k.lastPrice(), from, instrumentPriceScale, k);
    long bid = k.bestBid() > 0 ? rescale(k.bestBid(), from, instrumentPriceScale, k) : Tick.NO_PRICE;
    long ask = k.bestAsk() > 0 ? rescale(k.bestAsk(), from, instrumentPriceScale, k) : Tick.NO_PRICE;
    long seconds = k.lastTradeTime() > 0 ? k.lastTradeTime() : k.exchangeTimestamp();
    long exchangeTs = seconds > 0 ? seconds * Timestamps.NANOS_PER_SECOND : receiveTsNanos;
    remember(slot, k.token(), volume);
    return new Tick(k.token(), exchangeTs, receiveTsNanos, price, qty, tradeId(exchangeTs, volume), Tick.NO_SEQ, feed, null, bid, ask,
        TickStatus.LIVE);
  }

  /** Volumes below 2^40 (10^12 shares a day) fit; the IST day of the trade goes above them. */
  static final int VOLUME_BITS = 40;
  private static final long IST_OFFSET_NANOS = 19_800L * Timestamps.NANOS_PER_SECOND;
  private static final long NANOS_PER_DAY = 86_400L * Timestamps.NANOS_PER_SECOND;

  /** The trade id of a snapshot: the IST trading day of {@code exchangeTs} above the cumulative volume. */
  public static long tradeId(long exchangeTs, long volume) {
    long day = Math.floorDiv(exchangeTs + IST_OFFSET_NANOS, NANOS_PER_DAY);
    return (day << VOLUME_BITS) | (volume & ((1L << VOLUME_BITS) - 1));
  }

  /** Forgets every token's volume (as a new connection would). */
  public void clear() {
    Arrays.fill(keys, EMPTY);
    size = 0;
  }

  private static long rescale(long value, int from, int to, KiteTick k) {
    try {
      return Fixed.rescale(value, from, to);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("token " + k.token() + ": price " + value + " at scale " + from + " overflows scale " + to);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("token " + k.token() + ": " + e.getMessage(), e);
    }
  }

  /** The slot of {@code token}: its own, or the empty one where it would go. */
  private int slot(long token) {
    int mask = keys.length - 1;
    int i = (int) (mix(token) & mask);
    while (keys[i] != EMPTY && keys[i] != token) i = (i + 1) & mask;
    return i;
  }

  private void remember(int slot, long token, long volume) {
    if (keys[slot] == token) {
      volumes[slot] = volume;
      return;
    }
    keys[slot] = token;
    volumes[slot] = volume;
    if (++size * 2 > keys.length) grow();
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldVolumes = volumes;
    keys = new long[oldKeys.length * 2];
    volumes = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int s = slot(oldKeys[i]);
        keys[s] = oldKeys[i];
        volumes[s] = oldVolumes[i];
      }
    }
  }

  private static long mix(long x) {
    x *= 0x9E37_79B9_7F4A_7C15L;
    return x ^ (x >>> 32);
  }
}
