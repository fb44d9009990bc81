import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand } from './workflow-worker.js';

const SCRIPT = fileURLToPath(new URL('./workflow-worker.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  instanceId: string;
  send<T = unknown>(command: WorkerCommand): Promise<T>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** Forks a vod-ops worker process with `env` and waits until its store is open and migrated. */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = fork(SCRIPT, [], {
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  const ready = new Promise<string>((resolve, reject) => {
    child.on(
      'message',
      (m: {
        ready?: boolean;
        instanceId?: string;
        seq?: number;
        ok?: boolean;
        result?: unknown;
        error?: string;
      }) => {
        if (m.ready) return resolve(m.instanceId ?? '');
        const waiter = m.seq === undefined ? undefined : pending.get(m.seq);
        if (!waiter || m.seq === undefined) return;
        pending.delete(m.seq);
        if (m.ok) waiter.resolve(m.result);
        else waiter.reject(new Error(m.error));
      },
    );
    child.on('exit', (code) => {
      const error = new Error(`worker exited (${code}): ${stderr.slice(-2000)}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
    });
  });
  const instanceId = await ready;
  // A process ended by a signal keeps exitCode null: look at both.
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    instanceId,
    send<T>(command: WorkerCommand): Promise<T> {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ seq: id, ...command });
      });
    },
    async stop() {
      if (hasExited()) return;
      const exited = once(child, 'exit');
      child.send({ seq: ++seq, cmd: 'stop' });
      await exited;
    },
    async kill() {
      if (hasExited()) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
