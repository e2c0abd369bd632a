package io.tickloom.cluster.replay;

import io.tickloom.cluster.oms.OrderService;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a replay that names an account ({@link ReplayRequest#account()}) reads that account's journaled order events
 * with {@code from <= tsEvent < to}, in journal order: on a node, {@link OrderService#accountEvents(String, long, long)}
 * (Pekko Persistence Query on the JDBC journal). Non-blocking.
 */
@FunctionalInterface
public interface ReplayOrderEvents {
  CompletionStage<List<OrderService.AccountEvent>> events(String account, long from, long to);
}
