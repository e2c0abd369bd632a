package io.tickloom.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys of {@code TICKLOOM_API_KEYS} (SPEC §2): a comma list of {@code key:account:roles}, roles joined by
 * {@code +} ({@code trader}, {@code feed}, {@code admin}). A request presents its key in {@code X-API-Key}. Keys are
 * compared in constant time. An empty list means no key is accepted (the endpoints that need one answer 401).
 */
public final class ApiKeys {
  public static final Set<String> ROLES = Set.of("trader", "feed", "admin");

  public record Key(String key, String account, Set<String> roles) {
    public boolean has(String role) {
      return roles.contains(role) || roles.contains("admin");
    }

    public boolean admin() {
      return roles.contains("admin");
    }

    /** A stable name of this key that does not reveal it: its account and the start of its secret's SHA-256. */
    public String id() {
      try {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return account + ":" + java.util.HexFormat.of().formatHex(h, 0, 6);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return "Key[account=" + account + ", roles=" + roles + "]"; // never the secret
    }
  }

  private final List<Key> keys;

  private ApiKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  public static ApiKeys none() {
    return new ApiKeys(List.of());
  }

  /** @throws IllegalArgumentException naming the bad entry (without its secret) */
  public static ApiKeys parse(String spec) {
    List<Key> out = new ArrayList<>();
    if (spec == null) return new ApiKeys(out);
    int n = 0;
    for (String entry : spec.split(",")) {
      n++;
      String e = entry.trim();
      if (e.isEmpty()) continue;
      String[] parts = e.split(":", -1);
      if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("TICKLOOM_API_KEYS entry " + n + " must be key:account:roles");
      }
      List<String> roles = Arrays.stream(parts[2].split("\\+")).map(r -> r.trim().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty()).toList();
      for (String r : roles) {
        if (!ROLES.contains(r)) throw new IllegalArgumentException("TICKLOOM_API_KEYS entry " + n + ": unknown role '" + r + "' (known: trader, feed, admin)");
      }
      out.add(new Key(parts[0].trim(), parts[1].trim(), Set.copyOf(roles)));
    }
    return new ApiKeys(out);
  }

  public Optional<Key> find(String presented) {
    if (presented == null) return Optional.empty();
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    Key found = null;
    for (Key k : keys) {
      if (MessageDigest.isEqual(p, k.key().getBytes(StandardCharsets.UTF_8))) found = k;
    }
    return Optional.ofNullable(found);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }
}
