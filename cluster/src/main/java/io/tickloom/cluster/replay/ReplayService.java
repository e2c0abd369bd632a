package io.tickloom.cluster.replay;

/** Replay sessions of a node (SPEC §5 {@code /api/v1/replays}, §7 {@code replay}). */
public interface ReplayService {}
