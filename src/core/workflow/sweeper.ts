import { errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CampaignWorkflow } from './campaign-workflow.js';
import type { DeletionWorkflow } from './deletion-workflow.js';

export interface Sweeper {
  /**
   * One pass: expire due requests and campaigns, record due reminders and escalations, run or resume executions
   * nobody holds. Never overlaps itself.
   */
  tick(): Promise<void>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * The server's background pass over the store, every `intervalMs`, starting at once: pending requests and campaigns
 * awaiting approval past their time to live become `expired` (so front ends can update their messages), due reminders
 * and escalations of pending requests are recorded (for front ends to tell the approvers), approved or stalled
 * executions are picked up, and approved or running campaigns get a run in this process (each run claims items under
 * leases, so every replica shares the work), so nothing stays stuck after a process dies. Errors are logged and
 * retried on the next pass. Every replica may run one: each action is a compare-and-set.
 */
export function startSweeper(
  workflow: Pick<DeletionWorkflow, 'expireDue' | 'remindDue' | 'resumeExecutions'>,
  options: {
    intervalMs: number;
    logger: Logger;
    campaigns?: Pick<CampaignWorkflow, 'expireDue' | 'runDue'>;
  },
): Sweeper {
  let current: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    current ??= (async () => {
      try {
        const expired = await workflow.expireDue();
        const reminded = await workflow.remindDue();
        const resumed = await workflow.resumeExecutions();
        const campaignsExpired = (await options.campaigns?.expireDue()) ?? 0;
        const campaignsRun = (await options.campaigns?.runDue()) ?? 0;
        if (expired + reminded + resumed + campaignsExpired + campaignsRun > 0) {
          options.logger.info({ expired, reminded, resumed, campaignsExpired, campaignsRun }, 'sweep');
        }
      } catch (error) {
        options.logger.error({ err: errorSummary(error) }, 'sweep failed; retrying on the next pass');
      } finally {
        current = undefined;
      }
    })();
    return current;
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
