import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { VodReader } from '../core/vod/vod-api.js';
import type { VodRegions } from '../core/vod/vod-regions.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { AfterAck } from './after-ack.js';
import type { ApproverRoster } from './approver-roster.js';
import type { CampaignMessages } from './campaign-messages.js';
import type { HomeTabs } from './home.js';
import type { PeopleSettings } from './people-settings.js';
import type { SlackFailureSink } from './slack-failure-log.js';

/** What the Slack app tells the operator's metrics. Every value is from a bounded vocabulary. */
export interface SlackTelemetry {
  /** A failed Slack Web API call, logged once: its method and Slack's code (or why Slack could not be reached). */
  slackApiError(failure: { method: string; code: string }): void;
}

/** What the Slack front end needs from the product. */
export interface SlackDeps {
  workflow: DeletionWorkflow;
  /** Library-wide clean-up campaigns: approved, paused, resumed and cancelled from their messages. */
  campaigns: CampaignWorkflow;
  /** VOD's reads in each region served, for `/vod streams`; deletions go through the workflow. */
  vod: VodRegions<VodReader>;
  logger: Logger;
  clock: Clock;
  /** Every message says so when the VOD endpoint is the sandbox emulator. */
  sandbox: boolean;
  /** `VOD_OPS_APPROVAL_CHANNEL`: where approval messages go; default the channel the command ran in. */
  approvalChannel?: string;
  /** `VOD_OPS_STORAGE_PRICE_PER_GB_MONTH`: a campaign's message shows its monthly saving with it. */
  storagePricePerGbMonth?: number;
  /** Where failed Slack calls are counted. Default: nowhere. */
  telemetry?: SlackTelemetry;
  /** How approvers and requesters are reached (`VOD_OPS_NOTIFY_APPROVERS`, `VOD_OPS_PRINCIPAL_SLACK_USERS`). */
  people?: PeopleSettings;
  /** Who the approvers and the escalation group are in Slack. Default: nobody is listed. */
  roster?: ApproverRoster;
}

/** What the listeners get: the product, the scheduler that keeps acknowledgements first, and Slack's health. */
export interface ListenerDeps extends SlackDeps {
  afterAck: AfterAck;
  /** Told of failed Slack calls: Slack's health (for readiness) and the metrics. */
  health: SlackFailureSink;
  /** Brings a campaign's message back in line when a click shows it was stale. */
  campaignMessages: Pick<CampaignMessages, 'refresh'>;
  /** The users' App Home tabs: republished after a decision taken here, and the answer to a click on a Home. */
  homeTabs: HomeTabs;
}

/** A plain-text reply, marked as such when the VOD endpoint is the sandbox emulator, like every message. */
export function say(deps: Pick<SlackDeps, 'sandbox'>, text: string): string {
  return deps.sandbox ? `[SANDBOX] ${text}` : text;
}
