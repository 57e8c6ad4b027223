/**
 * A retry budget: fallback attempts may add at most `ratio` extra load on top of first attempts (plus a small
 * reserve), so a failing provider cannot multiply traffic during an outage. Token buckets per gateway instance: one
 * shared by the platform's keys, and one per organization for fallbacks that involve its own endpoints or keys (BYOK,
 * custom endpoints). Like Envoy's budgets, which are per upstream cluster: one tenant whose own endpoint keeps failing
 * spends its own share, and every other tenant's fallbacks are still allowed.
 */
export class RetryBudget {
  private tokens: number;
  /** Organizations' own buckets, kept only while below the reserve: a missing one is full. */
  private readonly own = new Map<string, number>();

  constructor(
    private readonly ratio = 0.2,
    private readonly reserve = 10,
  ) {
    this.tokens = reserve;
  }

  /** Every request deposits `ratio` of a retry, in the shared bucket and its organization's. */
  onRequest(organizationId: string): void {
    this.tokens = Math.min(this.reserve, this.tokens + this.ratio);
    const own = this.own.get(organizationId);
    if (own === undefined) return;
    if (own + this.ratio >= this.reserve) this.own.delete(organizationId);
    else this.own.set(organizationId, own + this.ratio);
  }

  /**
   * A fallback attempt spends one; false when the budget is exhausted. `organizationId`: the fallback follows a
   * failure of the organization's own endpoint or key, or goes to one, so it spends that organization's share.
   */
  trySpend(organizationId?: string): boolean {
    if (organizationId === undefined) {
      if (this.tokens < 1) return false;
      this.tokens -= 1;
      return true;
    }
    const own = this.own.get(organizationId) ?? this.reserve;
    if (own < 1) return false;
    this.own.set(organizationId, own - 1);
    return true;
  }
}
