import { userInfo } from 'node:os';
import type { Principal } from '../core/requests/principal.js';

/** Who runs the CLI: the operating-system user. */
export function cliPrincipal(): Principal {
  const name = userInfo().username;
  return { source: 'cli', id: name, displayName: name };
}
