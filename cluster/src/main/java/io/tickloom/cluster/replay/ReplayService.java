package io.tickloom.cluster.replay;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Replay sessions of a node (SPEC §5 {@code /api/v1/replays}, §7 {@code replay}): stored ticks of a period re-streamed
 * in global exchange-time order through the live pipeline's kernels, each session with instrument state of its own
 * (see {@link ReplaySessions}). Every method is non-blocking and thread-safe.
 */
public interface ReplayService {

  /**
   * Creates a session. It produces once its first subscriber attaches ({@link #subscribe}), unless created paused
   * (then {@link #resume} starts it, a subscriber attached or not).
   *
   * @throws InvalidReplay naming the request field at fault (unknown instrument, empty range, unknown timeframe...)
   * @throws TooManyReplays when the node already runs its maximum of sessions
   */
  ReplayStatus start(ReplayRequest request);

  Optional<ReplayStatus> status(String id);

  /** Every session this node holds (running, waiting, and ended ones still retained), newest first. */
  List<ReplayStatus> list();

  /** Stops producing after the batch in hand; the session keeps its place. @throws Conflict once ended */
  Optional<ReplayStatus> pause(String id);

  /** Continues a paused session (or starts a waiting one). @throws Conflict once ended */
  Optional<ReplayStatus> resume(String id);

  /**
   * Restarts the session at {@code ts} (inside its period) with fresh instrument state, keeping its speed, pause state
   * and subscribers; output of the run before is no longer delivered. @throws InvalidReplay (field {@code ts}) outside
   * the period; @throws Conflict once ended
   */
  Optional<ReplayStatus> seek(String id, long ts);

  /** Cancels the session: subscribers get its end (state {@code CANCELLED}). Idempotent. */
  Optional<ReplayStatus> cancel(String id);

  /**
   * The session's output from now on: batches in exchange-time order (with the account's order events among them,
   * {@link ReplayOutput.Orders}, when the request names one), then one {@link ReplayOutput.End}, then
   * completion. Several subscribers see the same output; the slowest sets the pace (bounded buffers, backpressure).
   * Empty when there is no such session; a source that completes at once when the session has already ended.
   */
  Optional<Source<ReplayOutput, NotUsed>> subscribe(String id);

  /** A request field refused, with the reason. */
  final class InvalidReplay extends IllegalArgumentException {
    private final String field;

    public InvalidReplay(String field, String reason) {
      super(reason);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** The node runs as many sessions as it may ({@code tickloom.cluster.replay.max-sessions}). */
  final class TooManyReplays extends IllegalStateException {
    public TooManyReplays(String message) {
      super(message);
    }
  }

  /** The session's state refuses the command (e.g. pausing an ended replay). */
  final class Conflict extends IllegalStateException {
    public Conflict(String message) {
      super(message);
    }
  }
}
