import type { Clock } from '../../core/clock.js';
import type { Store } from '../../core/store/store.js';
import type { ServiceTelemetry } from './prom-telemetry.js';

/**
 * `store` with every method of its ports timed: a Proxy, so a method added to a port is timed without a line here.
 * The label is the port method's name (`transition`, `claimItems`…), a fixed vocabulary. A method that answers
 * without a promise is passed through untimed.
 */
export function timeStore(
  store: Store,
  telemetry: Pick<ServiceTelemetry, 'storeOperation'>,
  clock: Pick<Clock, 'monotonic'>,
): Store {
  const timed = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const known = timed.get(property);
      if (known) return known;
      const operation = property;
      const wrapped = (...args: unknown[]) => {
        const started = clock.monotonic();
        const observe = (outcome: 'ok' | 'error') =>
          telemetry.storeOperation({ operation, outcome, seconds: (clock.monotonic() - started) / 1000 });
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (answer: unknown) => {
            observe('ok');
            return answer;
          },
          (error: unknown) => {
            observe('error');
            throw error;
          },
        );
      };
      timed.set(property, wrapped);
      return wrapped;
    },
  });
}
