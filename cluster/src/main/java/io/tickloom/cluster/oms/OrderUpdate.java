package io.tickloom.cluster.oms;

import io.tickloom.protocol.CborSerializable;

/**
 * One journaled order event and the order as it stands after it, published by the {@link OrderEntity} once the event
 * is in the journal (never before), on its account's topic ({@link OrderTopics}). Live feed for the WebSocket
 * {@code orders} channel; best effort (pub-sub may drop under pressure or while a node is unreachable), the journal and
 * the read side stay the record.
 *
 * @param seq the event's journal sequence number within the order
 */
public record OrderUpdate(String account, String orderId, long seq, OrderEvent event, OrderView order) implements CborSerializable {}
