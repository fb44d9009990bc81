import { expect, it } from 'vitest';
import { lazy } from '../../src/core/lazy.js';

it('opens once, on first use, and shares what it opened', async () => {
  let opens = 0;
  const resource = lazy(async () => ({ n: ++opens }));
  expect(resource.started()).toBeUndefined();
  expect(opens).toBe(0);
  const [a, b] = await Promise.all([resource.get(), resource.get()]);
  expect(a).toBe(b);
  expect(await resource.get()).toBe(a);
  expect(opens).toBe(1);
  expect(await resource.started()).toBe(a);
});

it('forgets a failed open, so the next use tries again', async () => {
  let opens = 0;
  const resource = lazy(async () => {
    opens++;
    if (opens === 1) throw new Error('database down');
    return 'open';
  });
  await expect(resource.get()).rejects.toThrow('database down');
  expect(resource.started()).toBeUndefined();
  expect(await resource.get()).toBe('open');
  expect(opens).toBe(2);
});
