// Autotask's limits as the simulator enforces them: `threadLimit` concurrent requests per
// (integration code, endpoint), and a rolling hourly count per database that adds latency above
// 50% and 75% and refuses at 100%. `clockScale` shrinks the hour (3600 = one hour per second).
export interface SimLimitOptions {
  threadLimit: number;
  hourlyLimit: number;
  clockScale: number;
  /** Added latency (ms) above 50% and above 75% of the hourly limit. */
  usageLatencyMs: [number, number];
}

export class SimLimits {
  threadRejections = 0;
  hourlyRejections = 0;
  /** Highest concurrency seen per `integration|endpoint`. */
  readonly peak = new Map<string, number>();
  private readonly threads = new Map<string, number>();
  private window: number[] = [];
  private head = 0;
  private readonly epoch = Date.now();

  constructor(public options: SimLimitOptions) {}

  /** Simulated milliseconds since the simulator started. */
  now(): number {
    return (Date.now() - this.epoch) * this.options.clockScale;
  }

  usage(): number {
    const cutoff = this.now() - 3_600_000;
    if (cutoff < 0 && this.head === 0) return this.window.length;
    while (this.head < this.window.length && this.window[this.head] <= cutoff) this.head++;
    if (this.head > 4096 && this.head * 2 > this.window.length) {
      this.window = this.window.slice(this.head);
      this.head = 0;
    }
    return this.window.length - this.head;
  }

  /** False when the database has used its hourly requests; otherwise counts this one. */
  admit(): boolean {
    if (this.usage() >= this.options.hourlyLimit) {
      this.hourlyRejections++;
      return false;
    }
    this.window.push(this.now());
    return true;
  }

  /** Latency Autotask adds at the current usage. */
  usageLatency(): number {
    const share = this.usage() / Math.max(1, this.options.hourlyLimit);
    return share >= 0.75 ? this.options.usageLatencyMs[1] : share >= 0.5 ? this.options.usageLatencyMs[0] : 0;
  }

  enter(integration: string, endpoint: string): boolean {
    const key = `${integration}|${endpoint.toLowerCase()}`;
    const n = this.threads.get(key) ?? 0;
    if (n >= this.options.threadLimit) {
      this.threadRejections++;
      return false;
    }
    this.threads.set(key, n + 1);
    if (n + 1 > (this.peak.get(key) ?? 0)) this.peak.set(key, n + 1);
    return true;
  }

  leave(integration: string, endpoint: string): void {
    const key = `${integration}|${endpoint.toLowerCase()}`;
    this.threads.set(key, Math.max(0, (this.threads.get(key) ?? 1) - 1));
  }

  /** Pretends `count` requests were made just now (admin). */
  setUsage(count: number): void {
    this.window = new Array(Math.max(0, count)).fill(this.now());
    this.head = 0;
  }

  snapshot() {
    return {
      threadLimit: this.options.threadLimit,
      hourlyLimit: this.options.hourlyLimit,
      clockScale: this.options.clockScale,
      usage: this.usage(),
      threadRejections: this.threadRejections,
      hourlyRejections: this.hourlyRejections,
      peakConcurrency: Object.fromEntries(this.peak),
    };
  }

  reset(): void {
    this.threads.clear();
    this.peak.clear();
    this.window = [];
    this.head = 0;
    this.threadRejections = 0;
    this.hourlyRejections = 0;
  }
}
