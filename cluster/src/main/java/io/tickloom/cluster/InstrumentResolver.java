package io.tickloom.cluster;

import io.tickloom.persistence.InstrumentStore;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.FieldError;
import io.tickloom.protocol.format.RawTick;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw ticks (SPEC §8: by token or by {@code EXCHANGE:SYMBOL}, decimal strings) into {@link Tick}s at their
 * instrument's scales. An unknown {@code EXCHANGE:SYMBOL} of a venue that {@linkplain Exchange#createsInstrumentsOnSight()
 * creates instruments on sight} (crypto venues) becomes an instrument: kind SPOT, token {@link #tokenFor derived from
 * the key} (so every node and every restart derive the same one), price and quantity scales
 * {@code max(8, decimals seen)} (Binance publishes 8 decimals), tick and lot size one smallest unit. Anything else
 * unknown is refused with the reason. Lookups never block; creating instruments runs one upsert per batch on the
 * blocking dispatcher.
 */
public final class InstrumentResolver {
  private static final Logger log = LoggerFactory.getLogger(InstrumentResolver.class);
  /** Decimals a venue-created instrument gets at least. */
  public static final int MIN_CREATED_SCALE = 8;

  private final InstrumentRegistry registry;
  private final InstrumentStore store;
  private final Executor blocking;

  public InstrumentResolver(InstrumentRegistry registry, InstrumentStore store, Executor blocking) {
    this(registry, store, blocking, () -> { });
  }

  /** @param changed told after instruments were created (the node tells the others) */
  public InstrumentResolver(InstrumentRegistry registry, InstrumentStore store, Executor blocking, Runnable changed) {
    this.registry = registry;
    this.store = store;
    this.blocking = blocking;
    this.changed = changed;
  }

  private final Runnable changed;

  /** A raw tick resolved: exactly one of {@code tick} and {@code error} is set. */
  public record Resolved(Tick tick, FieldError error) {
    public boolean ok() {
      return tick != null;
    }
  }

  /** The instrument a raw tick names, or null when it is not known (yet). Never blocks. */
  public Instrument lookup(RawTick raw) {
    return raw.exchange() == null ? registry.get(raw.token()) : registry.get(raw.exchange().name() + ':' + raw.symbol());
  }

  /**
   * Resolves a batch in order. Instruments to be created are created first (one blocking upsert for all of them,
   * off the caller's thread); when nothing is to be created the answer is already complete.
   */
  public CompletionStage<List<Resolved>> resolveAll(List<RawTick> raws, long receiveTs) {
    Map<String, Instrument> toCreate = new LinkedHashMap<>();
    for (RawTick r : raws) {
      if (r.exchange() != null && r.exchange().createsInstrumentsOnSight() && lookup(r) == null) {
        String key = r.exchange().name() + ':' + r.symbol();
        Instrument proposed = created(r);
        Instrument seen = toCreate.get(key);
        if (seen == null || proposed.priceScale() > seen.priceScale() || proposed.qtyScale() > seen.qtyScale()) {
          toCreate.put(key, new Instrument(proposed.token(), proposed.exchange(), proposed.symbol(), proposed.kind(), 1, 1,
              Math.max(proposed.priceScale(), seen == null ? 0 : seen.priceScale()),
              Math.max(proposed.qtyScale(), seen == null ? 0 : seen.qtyScale()), null, null, 0, null));
        }
      }
    }
    if (toCreate.isEmpty()) return CompletableFuture.completedFuture(resolveKnown(raws, receiveTs));
    return CompletableFuture.supplyAsync(() -> {
      create(new ArrayList<>(toCreate.values()));
      return resolveKnown(raws, receiveTs);
    }, blocking);
  }

  private List<Resolved> resolveKnown(List<RawTick> raws, long receiveTs) {
    List<Resolved> out = new ArrayList<>(raws.size());
    for (RawTick r : raws) out.add(resolveOne(r, receiveTs));
    return out;
  }

  private Resolved resolveOne(RawTick r, long receiveTs) {
    Instrument i = lookup(r);
    if (i == null) {
      String what = r.exchange() == null ? "token " + r.token() : r.exchange().name() + ':' + r.symbol();
      String field = r.exchange() == null ? "token" : "symbol";
      String why = r.exchange() == null || !r.exchange().createsInstrumentsOnSight()
          ? "unknown instrument " + what + " (not in the instrument master; import it first)"
          : "unknown instrument " + what;
      return new Resolved(null, new FieldError(field, why));
    }
    try {
      return new Resolved(r.toTick(i, receiveTs), null);
    } catch (FieldError e) {
      return new Resolved(null, e);
    }
  }

  /** Blocking: stores new venue instruments and registers them; on a conflict re-reads what the store holds. */
  private void create(List<Instrument> list) {
    try {
      store.upsert(list);
      registry.addAll(list);
      changed.run();
      for (Instrument i : list) log.info("created instrument {} (token {}, price scale {}, qty scale {}) on first sight", i.key(),
          i.token(), i.priceScale(), i.qtyScale());
    } catch (RuntimeException e) {
      // Another node or an import registered some of them (perhaps with other tokens): take what the store holds.
      List<Instrument> found = new ArrayList<>();
      for (Instrument i : list) store.find(i.exchange(), i.symbol()).ifPresent(found::add);
      registry.addAll(found);
      if (found.size() < list.size()) throw e;
    }
  }

  private static Instrument created(RawTick r) {
    int priceScale = Math.max(MIN_CREATED_SCALE, r.decimalsNeeded());
    int qtyScale = Math.max(MIN_CREATED_SCALE, Fixed.decimalsOf(r.qty()));
    return new Instrument(tokenFor(r.exchange(), r.symbol()), r.exchange(), r.symbol(), InstrumentKind.SPOT, 1, 1,
        Math.min(priceScale, 12), Math.min(qtyScale, 12), null, null, 0, null);
  }

  /**
   * The token of a venue-created instrument: the first 8 bytes of SHA-256 of {@code EXCHANGE:SYMBOL}, with bit 62 set
   * and bit 63 clear, so it is positive and far above exchange-assigned tokens (Kite's fit in 32 bits). Stable across
   * nodes and restarts.
   */
  public static long tokenFor(Exchange exchange, String symbol) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((exchange.name() + ':' + symbol).getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
      return (v & 0x3fff_ffff_ffff_ffffL) | 0x4000_0000_0000_0000L;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
