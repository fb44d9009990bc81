import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Makes `path` a file only its owner can read and write (0600), in folders only its owner can enter (0700) when
 * this call creates them, whatever the process's umask: the store holds who approved what. A folder that already
 * existed is left as it is (it may be shared, such as /srv); the file itself is always tightened, and SQLite
 * creates its -wal and -shm files with the database file's permissions.
 */
export function preparePrivateFile(path: string): void {
  const folder = resolve(dirname(path));
  const firstCreated = mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (firstCreated !== undefined) {
    // mkdir's mode is masked by the umask: set each created folder exactly, from the first one down.
    const created = resolve(firstCreated);
    let current = created;
    chmodSync(current, 0o700);
    for (const part of relative(created, folder)
      .split(sep)
      .filter((p) => p !== '')) {
      current = resolve(current, part);
      chmodSync(current, 0o700);
    }
  }
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    // Another user's file (an operator reading the service's store): not ours to change; opening it says the rest.
    if ((error as { code?: string }).code !== 'EPERM') throw error;
  }
}
