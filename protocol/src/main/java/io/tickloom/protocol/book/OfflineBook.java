package io.tickloom.protocol.book;

import io.tickloom.protocol.format.FormatException;
import io.tickloom.protocol.format.LobsterMessages;
import io.tickloom.protocol.format.LobsterOrderbook;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The logic of {@code ./tickloom book --format lobster --levels N [--snapshot ORDERBOOK.csv] MESSAGES.csv} (SPEC §7):
 * replays a LOBSTER message file with {@link LobsterReplay} and writes, for every message, the visible book after it
 * in LOBSTER's orderbook-file layout (N levels, {@code askPrice1,askSize1,bidPrice1,bidSize1,...}, prices × 10,000,
 * empty levels {@code 9999999999,0} / {@code -9999999999,0}), one line per message, {@code \n} line ends.
 *
 * <ul>
 *   <li>Without a snapshot the book starts empty and every message is applied (right for a file that starts from an
 *       empty book; LOBSTER's sample days do not).
 *   <li>With a snapshot (the matching orderbook file, read in step with the messages, row i with message i), row 1
 *       seeds the book (it is the state after message 1, so message 1 is not applied and the output starts with row
 *       1), and every later row supplies the deeper levels a side does not know ({@link LobsterReplay#reveal}). The
 *       orderbook file must have N levels and exactly one row per message.
 * </ul>
 * With the snapshot the output equals LOBSTER's orderbook file row for row on every sample pair (tested).
 */
public final class OfflineBook {
  private OfflineBook() {}

  /** Input formats of the {@code book} command. */
  public enum Format {
    LOBSTER("lobster");

    private final String label;

    Format(String label) {
      this.label = label;
    }

    /** CLI name: {@code lobster}. */
    public String label() {
      return label;
    }

    public static Format parse(String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      for (Format f : values()) if (f.label.equals(t)) return f;
      throw new IllegalArgumentException("unknown format '" + s + "' for book (one of lobster)");
    }
  }

  /**
   * What a run did.
   *
   * @param messages message rows read
   * @param rowsWritten book rows written (one per message)
   * @param hiddenExecutions type 5 messages (no visible change)
   * @param halts type 7 messages
   * @param revealedRows rows where deeper levels were adopted from the snapshot file
   * @param mismatchedRows rows where the levels the replay knew differed from the snapshot file's (0 when exact)
   * @param integrityEvents book-integrity events (a decrease at an unknown level or below zero, a crossed book)
   */
  public record Summary(long messages, long rowsWritten, long hiddenExecutions, long halts, long revealedRows,
      long mismatchedRows, long integrityEvents) {}

  /**
   * Replays {@code messages} and writes the book rows to {@code out} (flushed, not closed).
   *
   * @param snapshot the matching orderbook file, or null
   * @throws IllegalArgumentException for levels outside 1..{@value LobsterOrderbook#MAX_LEVELS}, before anything is read
   * @throws FormatException for a malformed row of either file (naming it and the line), or a snapshot file whose rows
   *     do not pair with the messages; the rows before it have been written
   */
  public static Summary run(Format format, int levels, Path messages, Path snapshot, Writer out) throws IOException {
    Objects.requireNonNull(messages, "messages");
    // The message file is read as bytes (LobsterMessages' fast path), the orderbook file as text.
    try (LobsterMessages m = new LobsterMessages(new java.io.BufferedInputStream(Files.newInputStream(messages), 1 << 16),
        messages.toString()); BufferedReader b = snapshot == null ? null : open(snapshot)) {
      return run(format, levels, m, messages.toString(), b, snapshot == null ? null : snapshot.toString(), out);
    }
  }

  /**
   * As {@link #run(Format, int, Path, Path, Writer)} over readers (not closed here).
   *
   * @param messagesName names the message input in errors
   * @param snapshot the matching orderbook file's rows, or null
   * @param snapshotName names the snapshot input in errors
   */
  public static Summary run(Format format, int levels, Reader messages, String messagesName, Reader snapshot,
      String snapshotName, Writer out) throws IOException {
    Objects.requireNonNull(messages, "messages");
    return run(format, levels, new LobsterMessages(messages, messagesName), messagesName, snapshot, snapshotName, out);
  }

  private static Summary run(Format format, int levels, LobsterMessages in, String messagesName, Reader snapshot,
      String snapshotName, Writer out) throws IOException {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(out, "out");
    LobsterReplay replay = new LobsterReplay(levels, BookIntegrityListener.IGNORE);
    StringBuilder line = new StringBuilder(32 * levels + 2);
    long rows = 0;
    LobsterOrderbook book = snapshot == null ? null : new LobsterOrderbook(snapshot, snapshotName, levels);
    while (in.next()) {
      if (book != null) {
        if (!book.next()) {
          throw new FormatException(snapshotName, book.line() + 1, "the orderbook file ends before message "
              + (rows + 1) + " (" + messagesName + ":" + in.line() + "): it needs one row per message");
        }
        if (rows == 0) {
          replay.seed(book);
          replay.countSeededMessage();
        } else {
          replay.apply(in);
          replay.reveal(book);
        }
      } else {
        replay.apply(in);
      }
      line.setLength(0);
      replay.appendRow(line);
      line.append('\n');
      out.append(line);
      rows++;
    }
    if (book != null && book.next()) {
      throw new FormatException(snapshotName, book.line(), "the orderbook file has more rows than "
          + messagesName + " has messages (" + rows + "): it needs one row per message");
    }
    out.flush();
    return new Summary(replay.messages(), rows, replay.hiddenExecutions(), replay.halts(), replay.revealedRows(),
        replay.mismatchedRows(), replay.book().integrityEvents());
  }

  private static BufferedReader open(Path file) throws IOException {
    return Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }
}
