package io.tickloom.persistence;

import java.util.List;

/**
 * One page of a keyset-paginated query: {@code nextCursor} is null on the last page, else an opaque
 * token to pass back as {@code cursor}.
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
