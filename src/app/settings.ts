import type { Env } from '../core/env.js';
import { type LogFormat, parseLogFormat, parseLogLevel } from '../core/logger.js';
import { loadStoreConfig, type StoreConfig } from '../core/store/store-config.js';
import { legacyRegion, loadVodRegions, type VodConfig } from '../core/vod/vod-config.js';
import { loadWorkflowSettings, type WorkflowSettings } from '../core/workflow/workflow-settings.js';
import { currentPlace, locateStore, type Place, type StoreLocation } from './store-location.js';

/** What a command that only reads VOD needs: how to log, and how to reach VOD. */
export interface VodSettings {
  /** `VOD_OPS_LOG_LEVEL`. */
  logLevel: string;
  /** `VOD_OPS_LOG_FORMAT`. */
  logFormat: LogFormat;
  /** The home region's: the first of `regions`. */
  vod: VodConfig;
  /** Every region served (`VOD_REGIONS`, or the one of `VOD_REGION`), each with its endpoint; never empty. */
  regions: VodConfig[];
  /** The region of records made before vod-ops recorded one: `VOD_REGION` (see `legacyRegion`). */
  legacyRegion: string;
}

/** Where the process runs: on a terminal (stderr is one), a person reads the log. */
export interface SettingsContext {
  sandbox: boolean;
  terminal?: boolean;
  /** The one region a command was told to act in (`--region`). */
  region?: string;
  /** The current folder and the user's folders, where the default store is looked for; this process's by default. */
  place?: Place;
}

/** Every setting a vod-ops process is built from, checked, with nothing heavy loaded. */
export interface Settings extends VodSettings, StoreSettings {
  workflow: WorkflowSettings;
}

/** Which store, and where the default one is (with what to tell the operator about it). */
export interface StoreSettings {
  store: StoreConfig;
  storeLocation: StoreLocation;
}

/**
 * The VOD settings alone. With `sandbox`, VOD_ENDPOINT is not read (the sandbox brings its own endpoint). On a
 * terminal the log is text for a person, warnings and errors only, unless VOD_OPS_LOG_FORMAT or VOD_OPS_LOG_LEVEL say
 * otherwise; elsewhere, JSON lines at info.
 */
export function loadVodSettings(env: Env, options: SettingsContext): VodSettings {
  const logFormat = parseLogFormat(env.VOD_OPS_LOG_FORMAT, options.terminal ? 'text' : 'json');
  // The sandbox is one emulator: one region, named by --region or VOD_REGION.
  const regions = options.sandbox
    ? loadVodRegions({ ...env, VOD_ENDPOINT: undefined, VOD_REGIONS: undefined }, options.region)
    : loadVodRegions(env, options.region);
  return {
    logLevel: parseLogLevel(env.VOD_OPS_LOG_LEVEL, logFormat === 'text' ? 'warn' : 'info'),
    logFormat,
    vod: regions[0] as VodConfig,
    regions,
    legacyRegion: legacyRegion(env),
  };
}

/**
 * Reads and checks every setting, so that a wrong one stops a process at once with a sentence naming it: the
 * runtime is built from the result, and `vod-ops mcp` calls it before its first message.
 */
export function loadSettings(env: Env, options: SettingsContext): Settings {
  const base = loadVodSettings(env, options);
  return {
    ...base,
    ...loadStoreSettings(env, options.place),
    workflow: loadWorkflowSettings(env, base.vod),
  };
}

/**
 * The store's settings alone (`vod-ops migrate`): DATABASE_URL, VOD_OPS_DB_PATH, or the default store, looked for
 * in the user's data folder and in ./data/ of the current folder (`locateStore`).
 */
export function loadStoreSettings(env: Env, place: Place = currentPlace(env)): StoreSettings {
  const storeLocation = locateStore(env, place);
  return { store: loadStoreConfig(env, storeLocation), storeLocation };
}
