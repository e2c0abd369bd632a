package io.tickloom.deploy;

import io.tickloom.protocol.Feed;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code TICKLOOM_FEEDS}: {@code sim}, {@code kafka}, {@code binance-ws:URL} or {@code kite-ws:URL}. The
 * first entry of a kind feeds as {@code primary}, later ones of the same kind as {@code secondary} (SPEC §4: the
 * secondary's ticks fill the primary's gaps, its duplicates are absorbed). {@code name} labels the source in logs and
 * metrics ({@code binance-ws:1}, {@code binance-ws:2}, ...).
 */
record FeedSpec(String kind, String url, Feed feed, String name) {
  static final List<String> KINDS = List.of("sim", "kafka", "binance-ws", "kite-ws");

  /** @throws IllegalArgumentException naming the bad entry */
  static List<FeedSpec> parse(String spec) {
    List<FeedSpec> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String entry : NodeConfig.csv(spec)) {
      int colon = entry.indexOf(':');
      String kind = (colon < 0 ? entry : entry.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
      String url = colon < 0 ? null : entry.substring(colon + 1).trim();
      if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown feed '" + entry + "' in TICKLOOM_FEEDS (known: sim, kafka, binance-ws:URL, kite-ws:URL)");
      boolean needsUrl = kind.endsWith("-ws");
      if (needsUrl && (url == null || url.isEmpty())) throw new IllegalArgumentException("feed '" + kind + "' needs a URL: " + kind + ":wss://...");
      if (!needsUrl && url != null) throw new IllegalArgumentException("feed '" + kind + "' takes no URL, got '" + entry + "'");
      if (needsUrl) {
        try {
          String scheme = URI.create(url).getScheme();
          if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss"))) throw new IllegalArgumentException("not ws:// or wss://");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("feed '" + kind + "': bad URL '" + url + "' (" + e.getMessage() + ")");
        }
      }
      int n = seen.merge(kind, 1, Integer::sum);
      if (!needsUrl && n > 1) throw new IllegalArgumentException("feed '" + kind + "' given twice in TICKLOOM_FEEDS");
      out.add(new FeedSpec(kind, url, n == 1 ? Feed.PRIMARY : Feed.SECONDARY, needsUrl ? kind + ':' + n : kind));
    }
    return out;
  }
}
