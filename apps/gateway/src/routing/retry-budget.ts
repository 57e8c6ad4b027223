/**
 * A retry budget: fallback attempts may add at most `ratio` extra load on top of first attempts (plus a small
 * reserve), so a failing provider cannot multiply traffic during an outage. Token bucket per gateway instance.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly ratio = 0.2,
    private readonly reserve = 10,
  ) {
    this.tokens = reserve;
  }

  /** Every request deposits `ratio` of a retry. */
  onRequest(): void {
    this.tokens = Math.min(this.reserve, this.tokens + this.ratio);
  }

  /** A fallback attempt spends one; false when the budget is exhausted. */
  trySpend(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
