package io.tickloom.deploy.faults;

/**
 * The marks of one scenario run, epoch nanos on {@link FaultClock}.
 *
 * @param quietStart start of the quiet window (the baseline)
 * @param faultAt the fault (the signal sent, the database stopped); end of the quiet window, start of the fault window
 * @param recoveredAt when the thing that failed was back (the database started again, the node ready again); equal to
 *     {@code faultAt} when nothing comes back (kill, leave): resume times count from here
 * @param observeEnd end of the observation the scenario holds after the fault
 * @param measuredAt when the figures were taken (after the bounded catch-up that follows the observation): the
 *     recorder and the samples run until here, so the fault window is [{@code faultAt}, {@code measuredAt}]
 */
public record Timeline(long quietStart, long faultAt, long recoveredAt, long observeEnd, long measuredAt) {
  /** Ticks stored with an exchange time up to this long before {@code measuredAt} have had time to reach the client. */
  public static final long DELIVERY_MARGIN_NANOS = 4_000_000_000L;

  public boolean inQuiet(long t) {
    return t >= quietStart && t < faultAt;
  }

  public boolean inFault(long t) {
    return t >= faultAt && t <= measuredAt;
  }

  /** End of the window in which a stored tick must have reached the client (or it is a miss). */
  public long deliveryWindowEnd() {
    return measuredAt - DELIVERY_MARGIN_NANOS;
  }

  public boolean inDeliveryWindow(long exchangeTs) {
    return exchangeTs >= quietStart && exchangeTs <= deliveryWindowEnd();
  }
}
