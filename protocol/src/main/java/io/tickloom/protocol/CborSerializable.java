package io.tickloom.protocol;

/**
 * Marker for every message and event that may cross a node boundary or be persisted. Bound once to
 * Pekko's Jackson CBOR serializer in the cluster module's {@code reference.conf}.
 */
public interface CborSerializable {}
