import type { Env } from '../core/env.js';
import { parseLogLevel } from '../core/logger.js';
import { loadStoreConfig, type StoreConfig } from '../core/store/store-config.js';
import { loadVodConfig, type VodConfig } from '../core/vod/vod-config.js';
import { loadWorkflowSettings, type WorkflowSettings } from '../core/workflow/workflow-settings.js';

/** Every setting a vod-ops process is built from, checked, with nothing heavy loaded. */
export interface Settings {
  /** `VOD_OPS_LOG_LEVEL`. */
  logLevel: string;
  vod: VodConfig;
  workflow: WorkflowSettings;
  store: StoreConfig;
}

/**
 * Reads and checks every setting, so that a wrong one stops a process at once with a sentence naming it: the
 * runtime is built from the result, and `vod-ops mcp` calls it before its first message. With `sandbox`,
 * VOD_ENDPOINT is not read (the sandbox brings its own endpoint).
 */
export function loadSettings(env: Env, options: { sandbox: boolean }): Settings {
  const logLevel = parseLogLevel(env.VOD_OPS_LOG_LEVEL);
  const vod = loadVodConfig(options.sandbox ? { ...env, VOD_ENDPOINT: undefined } : env);
  return { logLevel, vod, store: loadStoreConfig(env), workflow: loadWorkflowSettings(env, vod) };
}
