/**
 * Streaming indicator kernels (SPEC §4) of one instrument × timeframe: plain Java, no Pekko, O(1) per bar, no
 * allocation per update or peek. {@link io.tickloom.protocol.indicators.Indicator} is the contract,
 * {@link io.tickloom.protocol.indicators.Indicators#parse} maps names to kernels,
 * {@link io.tickloom.protocol.indicators.IndicatorSet} feeds several together,
 * {@link io.tickloom.protocol.indicators.OfflineIndicators} is the {@code indicators} command.
 *
 * <h2>Conventions: TA-Lib DEFAULT, and where ta4j differs</h2>
 * Values follow TA-Lib's DEFAULT compatibility: output starts at TA-Lib's lookback (no partial values during
 * warm-up), and averages are seeded with the simple mean of the first period. ta4j (0.17) outputs from bar 0 and
 * seeds with the first input instead; after the seed has decayed both agree to 1e-9 relative (tested: TA-Lib's
 * regression vectors within their 0.01, ta4j's spreadsheets and the ta4j library itself at 1e-9).
 * <table>
 *   <caption>Per indicator (bar indexes 0-based)</caption>
 *   <tr><th>name</th><th>Tickloom = TA-Lib DEFAULT</th><th>first value</th><th>ta4j 0.17 differs by</th></tr>
 *   <tr><td>{@code SMA_n}</td><td>mean of the last n closes</td><td>bar n-1</td>
 *       <td>means of the available closes before bar n-1; identical from n-1</td></tr>
 *   <tr><td>{@code EMA_n}</td><td>k = 2/(n+1); seed = mean of closes 0..n-1</td><td>bar n-1</td>
 *       <td>seed = close[0] at bar 0; difference decays as (1-k)^bars</td></tr>
 *   <tr><td>{@code RSI_n}</td><td>Wilder: first avg gain/loss = mean of the first n changes, then
 *       (avg·(n-1)+x)/n; RSI = 100·G/(G+L), 0 when G = L = 0</td><td>bar n</td>
 *       <td>averages seeded with 0 at bar 0 (MMA); decays as ((n-1)/n)^bars. TA-Lib METASTOCK adds a value at
 *       n-1: not followed</td></tr>
 *   <tr><td>{@code MACD_f_s_sig}</td><td>slow EMA seeded on closes 0..s-1; fast EMA seeded at the same bar s-1
 *       on closes s-f..s-1; signal = EMA_sig of macd seeded on its first sig values; hist = macd - signal</td>
 *       <td>bar s+sig-2 (33 for 12/26/9), all three outputs</td>
 *       <td>all EMAs seeded with their first input at bar 0</td></tr>
 *   <tr><td>{@code BB_n_k}</td><td>middle = SMA_n; middle ± k·σ, σ = population standard deviation (÷ n)</td>
 *       <td>bar n-1</td><td>partial windows before n-1 (also population σ in 0.17); identical from n-1.
 *       TA-Lib's EMA-middle (matype EMA) variant: not offered</td></tr>
 *   <tr><td>{@code ATR_n}</td><td>TR from bar 1 (needs the previous close); first ATR = mean of TR[1..n], then
 *       Wilder</td><td>bar n</td><td>TR[0] = high-low and the average seeded with it at bar 0;
 *       decays as ((n-1)/n)^bars</td></tr>
 *   <tr><td>{@code VWAP}</td><td>session VWAP: Σ(p·volume)/Σvolume since the bar flagged as the session's
 *       first, p = the bar's vwap or else (H+L+C)/3; the last bar's p while the session has no volume</td>
 *       <td>bar 0</td><td>no session VWAP in either library (ta4j's VWAPIndicator is a rolling window of
 *       typical prices)</td></tr>
 * </table>
 */
package io.tickloom.protocol.indicators;
