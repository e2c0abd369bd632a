package io.tickloom.cluster.oms;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An order's identity: its account and a name-based UUID (v3) of {@code (account, clientOrderId)}, so a retried
 * place with the same client order id reaches the same sharded entity. Rendered {@code ACCOUNT.uuid}
 * ({@code DEMO.4f1c...}): the account in the id lets a node tag the order's events by account and authorize a
 * request on an order id without a lookup. {@link #parse} and {@link #value} are the only format.
 */
public record OrderId(String account, UUID uuid) {
  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public OrderId {
    requireAccount(account);
    if (uuid == null) throw new IllegalArgumentException("order id needs a uuid");
  }

  /** The id of the order {@code clientOrderId} names in {@code account}; the same inputs always give the same id. */
  public static OrderId of(String account, String clientOrderId) {
    requireAccount(account);
    if (clientOrderId == null || clientOrderId.isEmpty()) throw new IllegalArgumentException("clientOrderId is required");
    byte[] name = (account + '\u0000' + clientOrderId).getBytes(StandardCharsets.UTF_8);
    return new OrderId(account, UUID.nameUUIDFromBytes(name));
  }

  /** Parses {@code ACCOUNT.uuid}. */
  public static OrderId parse(String text) {
    int dot = text == null ? -1 : text.lastIndexOf('.');
    if (dot <= 0) throw new IllegalArgumentException("order id must be ACCOUNT.uuid, got '" + text + "'");
    try {
      return new OrderId(text.substring(0, dot), UUID.fromString(text.substring(dot + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("order id must be ACCOUNT.uuid, got '" + text + "'", e);
    }
  }

  /** Whether {@code account} is a well-formed account name ({@code [A-Za-z0-9_-]{1,64}}). */
  public static boolean validAccount(String account) {
    return account != null && ACCOUNT.matcher(account).matches();
  }

  private static void requireAccount(String account) {
    if (!validAccount(account)) throw new IllegalArgumentException("account must match [A-Za-z0-9_-]{1,64}, got '" + account + "'");
  }

  /** The text form, {@code ACCOUNT.uuid}: the sharding entity id and the REST order id. */
  public String value() {
    return account + '.' + uuid;
  }

  @Override
  public String toString() {
    return value();
  }
}
