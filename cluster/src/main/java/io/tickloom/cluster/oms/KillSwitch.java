package io.tickloom.cluster.oms;

import io.tickloom.persistence.RiskControlStore;
import io.tickloom.persistence.RiskControlStore.Control;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-time kill switches (SPEC §5 pre-trade risk), thrown by an admin per account or for every account and kept in
 * PostgreSQL ({@link RiskControlStore}). Every node keeps a copy: re-read every {@code refresh} and at once when any node
 * changes a switch (a pub-sub broadcast), so a switch thrown through one node halts trading on all within moments. While
 * a scope is halted the OMS refuses its new orders and modifies at the door (422, nothing journaled); cancels go through.
 * The configured {@code kill-switch} of {@code tickloom.oms.risk} still works as before (journaled rejections).
 */
public final class KillSwitch {
  private static final Logger log = LoggerFactory.getLogger(KillSwitch.class);
  private static final Duration REFRESH = Duration.ofSeconds(2);

  private final RiskControlStore store;
  private final Executor io;
  private volatile Map<String, Control> halted = Map.of();
  private volatile ActorRef<Topic.Command<String>> topic;

  private KillSwitch(RiskControlStore store, Executor io) {
    this.store = store;
    this.io = io;
  }

  /** Starts this node's copy (first read now, off the caller's thread). */
  public static KillSwitch start(ActorSystem<?> system, RiskControlStore store, Executor io) {
    KillSwitch k = new KillSwitch(store, io);
    ActorRef<Topic.Command<String>> topic = system.systemActorOf(Topic.create(String.class, "tickloom-kill-switch"), "kill-switch-topic",
        Props.empty());
    k.topic = topic;
    Behavior<Object> watcher = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay("refresh", "refresh", Duration.ZERO, REFRESH);
      topic.tell(Topic.subscribe(ctx.messageAdapter(String.class, s -> "refresh")));
      return Behaviors.receiveMessage(m -> {
        if ("refresh".equals(m)) k.refresh();
        return Behaviors.same();
      });
    }));
    system.systemActorOf(watcher, "kill-switch", Props.empty());
    return k;
  }

  private void refresh() {
    CompletableFuture.runAsync(() -> {
      Map<String, Control> now = store.all().stream().filter(Control::halted).collect(Collectors.toUnmodifiableMap(Control::scope, Function.identity()));
      if (!now.keySet().equals(halted.keySet())) log.warn("kill switches now halted: {}", now.isEmpty() ? "none" : now.keySet());
      halted = now;
    }, io).exceptionally(e -> {
      log.debug("kill switches could not be re-read (the last known ones stay): {}", e.toString());
      return null;
    });
  }

  /** Why a new order or modify of {@code account} is refused now, or null when it is not halted. */
  public String refusal(String account) {
    Map<String, Control> h = halted;
    if (h.isEmpty()) return null;
    Control c = h.get(RiskControlStore.ALL);
    if (c != null) return "kill-switch: trading is halted for every account by " + c.updatedBy() + why(c);
    c = h.get(account);
    if (c != null) return "kill-switch: trading is halted for account " + account + " by " + c.updatedBy() + why(c);
    return null;
  }

  private static String why(Control c) {
    return c.reason() == null || c.reason().isBlank() ? "" : " (" + c.reason() + ")";
  }

  /** Every switch as stored (halted or released), read now. */
  public CompletionStage<List<Control>> controls() {
    return CompletableFuture.supplyAsync(store::all, io);
  }

  /** Throws or releases the switch of {@code scope} ({@link RiskControlStore#ALL} or an account); every node follows at once. */
  public CompletionStage<List<Control>> set(String scope, boolean halt, String by, String reason) {
    return CompletableFuture.supplyAsync(() -> {
      store.set(new Control(scope, halt, reason, by, System.currentTimeMillis() * 1_000_000L));
      log.warn("kill switch of {} {} by {}{}", scope.equals(RiskControlStore.ALL) ? "every account" : "account " + scope,
          halt ? "THROWN" : "released", by, reason == null ? "" : " (" + reason + ")");
      List<Control> all = store.all();
      halted = all.stream().filter(Control::halted).collect(Collectors.toUnmodifiableMap(Control::scope, Function.identity()));
      ActorRef<Topic.Command<String>> t = topic;
      if (t != null) t.tell(Topic.publish("changed"));
      return all;
    }, io);
  }
}
