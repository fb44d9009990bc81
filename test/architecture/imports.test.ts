import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of docs/architecture.md, checked on every file of src/: the rooms of core depend one way
 * (kernel ← vod ← requests ← campaigns ← store ← workflow), core knows no front end, and front ends do not know each other.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Where a file lives: `core` (the kernel), `core/vod`, `slack`, `app`… */
function roomOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts[0] === 'core' && parts.length > 2 ? `core/${parts[1]}` : (parts[0] ?? '');
}

const imports = filesUnder(SRC).map((file) => {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
  return {
    file: relative(SRC, file),
    room: roomOf(file),
    rooms: specifiers.filter((s) => s.startsWith('.')).map((s) => roomOf(resolve(dirname(file), s))),
    packages: specifiers.filter((s) => !s.startsWith('.')),
  };
});

/** Which rooms each room may import, besides itself. */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  'core/vod': ['core'],
  'core/requests': ['core', 'core/vod'],
  'core/campaigns': ['core', 'core/vod', 'core/requests'],
  'core/store': ['core', 'core/vod', 'core/requests', 'core/campaigns'],
  'core/workflow': ['core', 'core/vod', 'core/requests', 'core/campaigns', 'core/store'],
  'core/audit-trail': ['core', 'core/requests', 'core/store'],
  'core/audit-webhooks': ['core', 'core/requests', 'core/store', 'core/audit-trail'],
  sandbox: [],
  slack: ['core', 'core/vod', 'core/requests', 'core/campaigns', 'core/workflow', 'core/audit-trail'],
  mcp: ['core', 'core/vod', 'core/requests', 'core/campaigns', 'core/workflow'],
  app: [
    'core',
    'core/vod',
    'core/requests',
    'core/campaigns',
    'core/store',
    'core/workflow',
    'core/audit-trail',
    'core/audit-webhooks',
    'sandbox',
    'slack',
    'mcp',
  ],
  cli: [
    'core',
    'core/vod',
    'core/requests',
    'core/campaigns',
    'core/store',
    'core/workflow',
    'app',
    'sandbox',
  ],
};

describe('the architecture', () => {
  it.each(Object.entries(ALLOWED))('lets %s import only the rooms below it', (room, allowed) => {
    const wrong = imports
      .filter((i) => i.room === room)
      .flatMap((i) =>
        i.rooms.filter((r) => r !== room && !allowed.includes(r)).map((r) => `${i.file} → ${r}`),
      );
    expect(wrong).toEqual([]);
  });

  it('keeps front-end libraries out of core', () => {
    const wrong = imports
      .filter((i) => i.room.startsWith('core'))
      .flatMap((i) =>
        i.packages
          .filter((p) => /^@slack\/|^@modelcontextprotocol\/|^express$/.test(p))
          .map((p) => `${i.file} → ${p}`),
      );
    expect(wrong).toEqual([]);
  });

  it('keeps front-end names out of core’s code and SQL', () => {
    const wrong = imports
      .filter((i) => i.room.startsWith('core'))
      .filter((i) => /['"`](slack|mcp|cli)['"`:]/.test(readFileSync(join(SRC, i.file), 'utf8')))
      .map((i) => i.file);
    expect(wrong).toEqual([]);
  });

  it('keeps campaigns free of I/O: no Node builtins, no clock of its own', () => {
    const wrong = imports
      .filter((i) => i.room === 'core/campaigns')
      .flatMap((i) => [
        ...i.packages.filter((p) => p.startsWith('node:')).map((p) => `${i.file} → ${p}`),
        ...(/Date\.now\(|new Date\(\)/.test(readFileSync(join(SRC, i.file), 'utf8'))
          ? [`${i.file} reads the clock`]
          : []),
      ]);
    expect(wrong).toEqual([]);
  });

  it('keeps the kernel in core’s own folder and every other file of core in a room', () => {
    expect(
      imports
        .filter((i) => i.room === 'core')
        .map((i) => i.file)
        .sort(),
    ).toEqual([
      'core/clock.ts',
      'core/env.ts',
      'core/errors.ts',
      'core/format.ts',
      'core/lazy.ts',
      'core/logger.ts',
      'core/telemetry.ts',
    ]);
  });
});
