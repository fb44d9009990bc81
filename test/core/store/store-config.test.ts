import { describe, expect, it } from 'vitest';
import {
  dataDirectoryStorePath,
  loadSandboxStoreConfig,
  loadStoreConfig,
  storeLocation,
  userDataDirectory,
} from '../../../src/core/store/store-config.js';

const LINUX = { home: '/home/alice', platform: 'linux' } as const;
const WINDOWS = { home: 'C:\\Users\\alice', platform: 'win32' } as const;

describe('the user data folder', () => {
  it.each([
    ['nothing set', {}, '/home/alice/.local/share/vod-ops'],
    ['an absolute XDG_DATA_HOME', { XDG_DATA_HOME: '/data/alice' }, '/data/alice/vod-ops'],
    [
      'a relative XDG_DATA_HOME, which the XDG spec says to ignore',
      { XDG_DATA_HOME: 'share' },
      '/home/alice/.local/share/vod-ops',
    ],
    ['a blank XDG_DATA_HOME', { XDG_DATA_HOME: '  ' }, '/home/alice/.local/share/vod-ops'],
  ])('is under HOME or XDG_DATA_HOME with %s', (_, env, folder) => {
    expect(userDataDirectory(env, LINUX)).toBe(folder);
    expect(userDataDirectory(env, { ...LINUX, platform: 'darwin' })).toBe(folder);
  });

  it('is %LOCALAPPDATA%\\vod-ops on Windows, whatever XDG_DATA_HOME says', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\alice\\AppData\\Local', XDG_DATA_HOME: '/data/alice' };
    expect(userDataDirectory(env, WINDOWS)).toBe('C:\\Users\\alice\\AppData\\Local\\vod-ops');
    expect(userDataDirectory({}, WINDOWS)).toBe('C:\\Users\\alice\\AppData\\Local\\vod-ops');
    expect(dataDirectoryStorePath({}, WINDOWS)).toBe('C:\\Users\\alice\\AppData\\Local\\vod-ops\\vod-ops.db');
  });

  it('holds the store as vod-ops.db', () => {
    expect(dataDirectoryStorePath({ XDG_DATA_HOME: '/xdg' }, LINUX)).toBe('/xdg/vod-ops/vod-ops.db');
  });
});

describe('which store', () => {
  const defaultPath = '/home/alice/.local/share/vod-ops/vod-ops.db';

  it('is the default path unless VOD_OPS_DB_PATH or DATABASE_URL says otherwise', () => {
    expect(loadStoreConfig({}, { defaultPath })).toEqual({ kind: 'sqlite', path: defaultPath });
    expect(loadStoreConfig({ VOD_OPS_DB_PATH: ' /srv/vod.db ' }, { defaultPath })).toEqual({
      kind: 'sqlite',
      path: '/srv/vod.db',
    });
    expect(
      loadStoreConfig({ DATABASE_URL: 'postgres://db/vod', VOD_OPS_DB_PATH: '/srv/vod.db' }, { defaultPath }),
    ).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://db/vod',
    });
    expect(() => loadStoreConfig({ DATABASE_URL: 'mysql://db/vod' }, { defaultPath })).toThrow(
      /DATABASE_URL/,
    );
  });

  it('keeps the sandbox file beside the SQLite store, or beside the default path with PostgreSQL', () => {
    expect(loadSandboxStoreConfig({}, { defaultPath }).path).toBe(
      '/home/alice/.local/share/vod-ops/vod-ops-sandbox.db',
    );
    expect(loadSandboxStoreConfig({ VOD_OPS_DB_PATH: '/srv/vod.db' }, { defaultPath }).path).toBe(
      '/srv/vod-ops-sandbox.db',
    );
    expect(loadSandboxStoreConfig({ DATABASE_URL: 'postgres://db/vod' }, { defaultPath }).path).toBe(
      '/home/alice/.local/share/vod-ops/vod-ops-sandbox.db',
    );
    expect(() => loadSandboxStoreConfig({ VOD_OPS_SANDBOX_DB_PATH: defaultPath }, { defaultPath })).toThrow(
      /VOD_OPS_SANDBOX_DB_PATH is the real store/,
    );
  });
});

describe('where a store is, in words', () => {
  it('names a SQLite file by its path, and PostgreSQL by its address without password or query', () => {
    expect(storeLocation({ kind: 'sqlite', path: '/srv/vod.db' })).toBe('/srv/vod.db');
    const said = storeLocation({
      kind: 'postgres',
      connectionString: 'postgres://vodops_app:s3cret@db.internal:5432/vod?password=other&sslmode=require',
    });
    expect(said).toBe('postgres://vodops_app@db.internal:5432/vod');
    expect(storeLocation({ kind: 'postgres', connectionString: 'postgres://[bad' })).toBe(
      'the PostgreSQL database in DATABASE_URL',
    );
  });
});
