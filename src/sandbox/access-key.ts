import { randomBytes } from 'node:crypto';

/** A fresh, random AccessKey pair for a sandbox: it opens nothing but the local emulator it was made for. */
export function createSandboxAccessKey(): { accessKeyId: string; accessKeySecret: string } {
  return {
    accessKeyId: `LTAIsandbox${randomBytes(6).toString('hex')}`,
    accessKeySecret: randomBytes(15).toString('base64url'),
  };
}
