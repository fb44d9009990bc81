import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What the emulator saw: calls, throttled answers, and when each DeleteStream arrived (and was accepted). */
export interface EmulatorCounts {
  calls: number;
  throttled: number;
  /** Requests by action (throttled ones included). */
  byAction: Record<string, number>;
  /** Throttled answers by action. */
  throttledByAction: Record<string, number>;
  deletesAcceptedAt: number[];
  deletesArrivedAt: number[];
}

export interface EmulatorChild {
  endpoint: string;
  port: number;
  /** Stops the emulator and returns what it counted, and when each accepted DeleteStream arrived. */
  stop(): Promise<EmulatorCounts>;
}

/** Starts bench/emulator-process.ts in its own Node process and waits until it listens. */
export async function startEmulatorChild(settings: unknown): Promise<EmulatorChild> {
  const script = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));
  const folder = mkdtempSync(join(tmpdir(), 'vod-ops-bench-emulator-'));
  const countsFile = join(folder, 'counts.json');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', script, JSON.stringify(settings), countsFile],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  const { port } = JSON.parse(String(first.value)) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      child.stdin!.end();
      await lines.next();
      try {
        return JSON.parse(readFileSync(countsFile, 'utf8')) as EmulatorCounts;
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
