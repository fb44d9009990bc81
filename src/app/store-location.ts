import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Env } from '../core/env.js';
import { dataDirectoryStorePath, LEGACY_STORE_PATH, type UserDirs } from '../core/store/store-config.js';

/** Where a process runs: its current folder, and the user's folders. */
export interface Place extends UserDirs {
  cwd: string;
}

/** Where the default SQLite store is, decided once per process. */
export interface StoreLocation {
  /** The store when neither VOD_OPS_DB_PATH nor DATABASE_URL is set; the sandbox file is kept beside it. */
  defaultPath: string;
  /** What the operator must hear once, from whoever opens the real store: a store left in ./data/. */
  notice?: string;
}

/** This process's place: the current folder, `HOME` (the operating system's home folder when unset). */
export function currentPlace(env: Env): Place {
  return { cwd: process.cwd(), home: env.HOME?.trim() || homedir(), platform: process.platform };
}

/**
 * The default store is in the user's data folder (`userDataDirectory`), whatever the current folder. An older
 * vod-ops kept it in ./data/vod-ops.db of the folder it ran in; such a store is not silently abandoned: while the
 * data folder has no store yet, the old one goes on being used, with a notice saying how to move it; once both
 * exist, the data folder's is used, with a notice that the old one is not. VOD_OPS_DB_PATH and DATABASE_URL
 * choose the store themselves, so neither is looked for then.
 */
export function locateStore(env: Env, place: Place): StoreLocation {
  const dataPath = dataDirectoryStorePath(env, place);
  if (env.DATABASE_URL?.trim() || env.VOD_OPS_DB_PATH?.trim()) return { defaultPath: dataPath };
  const legacy = resolve(place.cwd, LEGACY_STORE_PATH);
  if (legacy === resolve(dataPath) || !existsSync(legacy)) return { defaultPath: dataPath };
  if (existsSync(dataPath)) {
    return {
      defaultPath: dataPath,
      notice:
        `The store is ${dataPath}; ${legacy}, where an older vod-ops kept it, exists and is not used. To use ` +
        `it instead, set VOD_OPS_DB_PATH=${shellWord(legacy, place.platform)}; otherwise move it out of the way.`,
    };
  }
  const folder = dirname(dataPath);
  const move =
    place.platform === 'win32'
      ? `mkdir "${folder}" & move "${legacy}*" "${folder}\\"`
      : `mkdir -p ${shellWord(folder, place.platform)} && mv ${shellWord(legacy, place.platform)}* ${shellWord(folder, place.platform)}/`;
  return {
    defaultPath: legacy,
    notice:
      `Using the store in ${legacy}, where an older vod-ops kept it; vod-ops now keeps it in ${folder}, the same ` +
      `from any folder. To move it there, stop every vod-ops that uses it, then run: ${move} ` +
      `(the store with its -wal and -shm files). To keep it where it is, set VOD_OPS_DB_PATH=${shellWord(legacy, place.platform)}.`,
  };
}

/** A path as one word of a POSIX shell: quoted only when it needs to be. */
function shellWord(path: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return /\s/.test(path) ? `"${path}"` : path;
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
