package io.tickloom.protocol;

/** LIVE while the instrument's sequence is whole; STALE while a gap is open (SPEC §4). */
public enum TickStatus { LIVE, STALE }
