// Autotask budget and limiter waits, measured at the limiter the transport already calls: every
// ThresholdInformation reading passes through `observe`, every request through `acquire`.
import type { ApiLimiter } from '../autotask/limits';
import { autotaskBudgetLimit, autotaskBudgetRemaining, autotaskBudgetUsed, limiterWaitSeconds } from './registry';

export function meteredLimiter(inner: ApiLimiter): ApiLimiter {
  return {
    async acquire(scope, signal) {
      const started = performance.now();
      const permit = await inner.acquire(scope, signal);
      limiterWaitSeconds.observe({ endpoint: scope.endpoint }, (performance.now() - started) / 1000);
      return permit;
    },
    async observe(scope, used, limit) {
      await inner.observe(scope, used, limit);
      autotaskBudgetUsed.set({ database: scope.database }, used);
      autotaskBudgetLimit.set({ database: scope.database }, limit);
      autotaskBudgetRemaining.set({ database: scope.database }, Math.max(0, limit - used));
    },
    claimThresholdRefresh: (scope) => inner.claimThresholdRefresh(scope),
  };
}
