package io.tickloom.protocol;

/** Which feed delivered a tick (SPEC §3). */
public enum Feed {
  PRIMARY, SECONDARY, REPLAY, IMPORT;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Feed parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("feed must be primary, secondary, replay or import, got '" + s + "'");
    }
  }
}
