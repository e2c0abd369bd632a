package io.tickloom.cluster;

import io.tickloom.protocol.Instrument;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's instrument master in memory: filled from the instrument store at start and by feeds that
 * create instruments. One instance per node, handed to whoever needs it; lookups never block.
 */
public final class InstrumentRegistry implements InstrumentDirectory {
  private final ConcurrentHashMap<Long, Instrument> byToken = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Instrument> byKey = new ConcurrentHashMap<>();

  public InstrumentRegistry(Collection<Instrument> initial) {
    addAll(initial);
  }

  public void addAll(Collection<Instrument> instruments) {
    for (Instrument i : instruments) {
      Instrument old = byToken.put(i.token(), i);
      if (old != null && !old.key().equals(i.key())) byKey.remove(old.key(), old);
      byKey.put(i.key(), i);
    }
  }

  /** The instrument {@code EXCHANGE:SYMBOL} ({@link Instrument#key()}) or null. */
  public Instrument get(String key) {
    return byKey.get(key);
  }

  @Override
  public Optional<Instrument> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  @Override
  public Optional<Instrument> find(long token) {
    return Optional.ofNullable(byToken.get(token));
  }

  /** The instrument or null; for hot paths that must not allocate an Optional. */
  public Instrument get(long token) {
    return byToken.get(token);
  }

  @Override
  public List<Instrument> search(String query, int limit) {
    String q = query == null ? "" : query.trim().toUpperCase(Locale.ROOT);
    List<Instrument> prefix = new ArrayList<>();
    List<Instrument> contains = new ArrayList<>();
    for (Instrument i : byToken.values()) {
      String s = i.symbol().toUpperCase(Locale.ROOT);
      if (s.startsWith(q)) prefix.add(i);
      else if (s.contains(q)) contains.add(i);
    }
    Comparator<Instrument> bySymbol = Comparator.comparing(Instrument::symbol).thenComparingLong(Instrument::token);
    prefix.sort(bySymbol);
    contains.sort(bySymbol);
    prefix.addAll(contains);
    return prefix.size() > limit ? List.copyOf(prefix.subList(0, limit)) : List.copyOf(prefix);
  }

  @Override
  public int size() {
    return byToken.size();
  }
}
