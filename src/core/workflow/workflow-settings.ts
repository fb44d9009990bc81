import { defaultRetryPolicy, longestCallMs } from '../vod/call-policy.js';
import { type Env, loadVodConfig } from '../vod/vod-config.js';
import { executionLeaseMs, loadWorkflowConfig, type WorkflowConfig } from './workflow-config.js';

/** Every setting the workflow runtime is built from, checked. */
export interface WorkflowSettings {
  workflow: WorkflowConfig;
  /** How long an execution's claim lasts: derived from the VOD settings unless VOD_OPS_EXECUTION_LEASE_MS is set. */
  leaseMs: number;
}

/**
 * Reads and checks every workflow and VOD setting, without loading anything heavy: `createWorkflowRuntime` builds
 * from it, and `vod-ops mcp` calls it before its first message so that a wrong setting stops it at once. With
 * `sandbox`, VOD_ENDPOINT is not read (the sandbox has its own).
 */
export function loadWorkflowSettings(env: Env, options: { sandbox: boolean }): WorkflowSettings {
  const vod = loadVodConfig(options.sandbox ? { ...env, VOD_ENDPOINT: undefined } : env);
  const workflow = loadWorkflowConfig(env);
  // A deletion's claim must outlive the longest DeleteStream, retries included, and the check that may follow it.
  const longestDeleteMs =
    2 * longestCallMs({ ...defaultRetryPolicy, maxAttempts: vod.maxAttempts }, vod.timeoutMs);
  return { workflow, leaseMs: executionLeaseMs(workflow, longestDeleteMs) };
}
