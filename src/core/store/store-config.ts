import { basename, dirname, join, posix, resolve, win32 } from 'node:path';
import type { Env } from '../env.js';
import { AppError } from '../errors.js';

/** Which store to open: PostgreSQL (several replicas share one state) or one SQLite file. */
export type StoreConfig = { kind: 'postgres'; connectionString: string } | { kind: 'sqlite'; path: string };

/** The user's folders the default store's location is made from, as the composition root finds them. */
export interface UserDirs {
  /** The user's home folder: `HOME`, or the operating system's answer when it is unset. */
  home: string;
  platform: NodeJS.Platform;
}

/** The SQLite store's file name, in whatever folder it is kept. */
export const STORE_FILE = 'vod-ops.db';

/**
 * Where the store was by default before it moved to the user's data folder: relative to the current folder, so
 * each folder vod-ops ran in had a store of its own. Kept only to find such a store and say how to move it.
 */
export const LEGACY_STORE_PATH = join('data', STORE_FILE);

/**
 * The folder vod-ops keeps its data in, the same from any current folder: `$XDG_DATA_HOME/vod-ops` when
 * XDG_DATA_HOME is an absolute path (the XDG Base Directory spec says to ignore a relative one), else
 * `~/.local/share/vod-ops`; on Windows `%LOCALAPPDATA%\vod-ops` (else `~\AppData\Local\vod-ops`), the folder
 * Windows gives a program's data that stays on this machine. Written here rather than taken from a library: it is
 * a few lines, issue 12 fixes the rule exactly, and env-paths would add a `-nodejs` suffix and use another folder
 * on macOS.
 * @see https://specifications.freedesktop.org/basedir-spec/latest/
 */
export function userDataDirectory(env: Env, dirs: UserDirs): string {
  if (dirs.platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim();
    return win32.join(
      local && win32.isAbsolute(local) ? local : win32.join(dirs.home, 'AppData', 'Local'),
      'vod-ops',
    );
  }
  const xdg = env.XDG_DATA_HOME?.trim();
  return posix.join(xdg && posix.isAbsolute(xdg) ? xdg : posix.join(dirs.home, '.local', 'share'), 'vod-ops');
}

/** The SQLite store in the user's data folder (`userDataDirectory`). */
export function dataDirectoryStorePath(env: Env, dirs: UserDirs): string {
  return (dirs.platform === 'win32' ? win32 : posix).join(userDataDirectory(env, dirs), STORE_FILE);
}

/**
 * `DATABASE_URL` selects PostgreSQL; otherwise SQLite at `VOD_OPS_DB_PATH`, or at `defaultPath`, which the
 * composition root decides (the user's data folder, or a store left in ./data/ by an older vod-ops).
 */
export function loadStoreConfig(env: Env, options: { defaultPath: string }): StoreConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('CONFIG', 'DATABASE_URL must be a postgres:// or postgresql:// connection string.');
  }
  return databaseUrl
    ? { kind: 'postgres', connectionString: databaseUrl }
    : { kind: 'sqlite', path: env.VOD_OPS_DB_PATH?.trim() || options.defaultPath };
}

/**
 * Where `--sandbox` keeps what it records between commands (the CLI's clean-up campaigns), so that
 * `cleanup plan --sandbox` and then `cleanup show <id> --sandbox` see the same campaign: `VOD_OPS_SANDBOX_DB_PATH`,
 * or `vod-ops-sandbox.db` beside the SQLite store (beside `defaultPath` when the store is PostgreSQL). Never the
 * real store: a path that is the real SQLite file is refused, so no sandbox record ever reaches the real audit
 * trail.
 */
export function loadSandboxStoreConfig(
  env: Env,
  options: { defaultPath: string },
): { kind: 'sqlite'; path: string } {
  const real = loadStoreConfig(env, options);
  const realPath = real.kind === 'sqlite' ? real.path : options.defaultPath;
  const path = env.VOD_OPS_SANDBOX_DB_PATH?.trim() || join(dirname(realPath), SANDBOX_DB_FILE);
  if (real.kind === 'sqlite' && resolve(path) === resolve(real.path)) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_SANDBOX_DB_PATH is the real store (${basename(real.path)}): give the sandbox a file of its own.`,
    );
  }
  return { kind: 'sqlite', path };
}

/**
 * Where a store is, for a log line or a message: the SQLite file's path, or PostgreSQL's address without its
 * password or query (which can carry one).
 */
export function storeLocation(config: StoreConfig): string {
  if (config.kind === 'sqlite') return config.path;
  try {
    const url = new URL(config.connectionString);
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return 'the PostgreSQL database in DATABASE_URL';
  }
}

const SANDBOX_DB_FILE = 'vod-ops-sandbox.db';
