/**
 * A vod-ops process for multi-process tests: the product's own composition (openRuntime, the
 * sweeper) driven over IPC by the test, the way Slack clicks would drive a replica. Started with
 * `fork(…, { execArgv: ['--import', 'tsx'] })`; configured by the environment like the product.
 */

import { openRuntime, startBackgroundWork } from '../../src/app/runtime.js';
import { parseSelectionRule } from '../../src/core/campaigns/selection-rule.js';
import { parseJobIds, parseVideoId } from '../../src/core/vod/input-rules.js';

type SlackPrincipal = { source: 'slack'; id: string; displayName: string };

export type WorkerCommand =
  | {
      cmd: 'request';
      videoId: string;
      jobIds: string[];
      requester: SlackPrincipal;
    }
  | { cmd: 'vote'; id: string; approver: SlackPrincipal }
  | { cmd: 'get'; id: string }
  | { cmd: 'audit'; requestId: string }
  /** A clean-up campaign planned to the end by this process: `rule` as a rule file gives it. */
  | { cmd: 'plan-campaign'; rule: unknown; requester: SlackPrincipal }
  | { cmd: 'vote-campaign'; id: string; approver: SlackPrincipal }
  | { cmd: 'campaign'; id: string }
  /** Every item of the campaign (up to 5,000), in seq order. */
  | { cmd: 'campaign-items'; id: string }
  | { cmd: 'campaign-audit'; id: string }
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
    case 'plan-campaign':
      return runtime.campaigns.plan({
        rule: parseSelectionRule(message.rule, Date.now()),
        reason: 'multi-process test',
        requester: message.requester,
      });
    case 'vote-campaign': {
      const result = await runtime.campaigns.vote(message.id, message.approver, 'approve');
      return result.ok
        ? { ok: true, status: result.campaign.status }
        : { ok: false, refusal: result.refusal.kind };
    }
    case 'campaign':
      return runtime.campaigns.get(message.id);
    case 'campaign-items':
      return runtime.campaigns.items(message.id, { limit: 5000 });
    case 'campaign-audit':
      return runtime.campaigns.audit(message.id);
    case 'idle':
      return runtime.workflow.idle();
    case 'stop':
      await sweeper.stop();
      await runtime.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}
