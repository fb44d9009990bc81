/**
 * A vod-ops process for multi-process tests: the product's own composition (openRuntime, the
 * sweeper) driven over IPC by the test, the way Slack clicks would drive a replica. Started with
 * `fork(…, { execArgv: ['--import', 'tsx'] })`; configured by the environment like the product.
 */

import { openRuntime, startBackgroundWork } from '../../src/app/runtime.js';
import { parseJobIds, parseVideoId } from '../../src/core/vod/input-rules.js';

export type WorkerCommand =
  | {
      cmd: 'request';
      videoId: string;
      jobIds: string[];
      requester: { source: 'slack'; id: string; displayName: string };
    }
  | { cmd: 'vote'; id: string; approver: { source: 'slack'; id: string; displayName: string } }
  | { cmd: 'get'; id: string }
  | { cmd: 'audit'; requestId: string }
  | { cmd: 'idle' }
  | { cmd: 'stop' };

const runtime = await openRuntime({ sandbox: false, env: process.env });
const sweeper = startBackgroundWork(runtime, Number(process.env.TEST_SWEEP_MS ?? 100));

process.on('message', (message: { seq: number } & WorkerCommand) => {
  void handle(message).then(
    (result) => process.send?.({ seq: message.seq, ok: true, result }),
    (error: unknown) => process.send?.({ seq: message.seq, ok: false, error: String(error) }),
  );
});
process.send?.({ ready: true, instanceId: runtime.instanceId });

async function handle(message: WorkerCommand): Promise<unknown> {
  switch (message.cmd) {
    case 'request':
      return (
        await runtime.workflow.requestDeletion({
          videoId: parseVideoId(message.videoId),
          jobIds: parseJobIds(message.jobIds),
          requester: message.requester,
          reason: 'multi-process test',
        })
      ).request;
    case 'vote': {
      const result = await runtime.workflow.vote(message.id, message.approver, 'approve');
      return result.ok
        ? { ok: true, status: result.request.status }
        : { ok: false, refusal: result.refusal.kind };
    }
    case 'get':
      return runtime.workflow.get(message.id);
    case 'audit':
      return runtime.workflow.audit({ requestId: message.requestId });
    case 'idle':
      return runtime.workflow.idle();
    case 'stop':
      await sweeper.stop();
      await runtime.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}
