import { readFileSync } from 'node:fs';

/** Replaced by scripts/build.mjs with package.json's version; not defined when run from the sources. */
declare const VOD_OPS_BUILD_VERSION: string | undefined;

/**
 * vod-ops's version, whose one source is package.json's `version`: `vod-ops --version`, the User-Agent of VOD
 * calls and the MCP server's `serverInfo` say it. The build embeds it, so a built CLI reads no file to know it;
 * run from the sources (tests, benchmarks), it is read from package.json.
 */
export function packageVersion(): string {
  if (typeof VOD_OPS_BUILD_VERSION === 'string') return VOD_OPS_BUILD_VERSION;
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
