package io.tickloom.cluster.book;

/**
 * The node's order books for the HTTP layer (SPEC §5 {@code /api/v1/book}): the live book owned by the instrument
 * entities and books reconstructed from stored snapshots + events.
 */
public interface BookService {}
