import { startVodEmulator, type VodEmulator, type VodEmulatorOptions } from '../../src/sandbox/index.js';
import { createEngineClient, type EngineClient } from './engine-client.js';

export const SANDBOX_KEY = {
  accessKeyId: 'LTAI5tSandboxKey000001',
  accessKeySecret: 'sandbox-secret-value-0001',
};

/** An emulator with the demo catalogue and an engine client signed with its key. */
export async function startEmulatorWithEngine(
  options: Partial<VodEmulatorOptions> = {},
  client: { readTimeout?: number } = {},
): Promise<{ emulator: VodEmulator; vod: EngineClient }> {
  const emulator = await startVodEmulator({ credentials: [SANDBOX_KEY], ...options });
  return { emulator, vod: createEngineClient({ port: emulator.port, ...SANDBOX_KEY, ...client }) };
}

/** The job IDs GetPlayInfo lists for a video. */
export async function listedJobIds(
  vod: EngineClient,
  videoId: string,
  resultType = 'Multiple',
): Promise<string[]> {
  const { body } = await vod.call('GetPlayInfo', { VideoId: videoId, ResultType: resultType });
  const list = body.PlayInfoList as { PlayInfo: Array<{ JobId: string }> };
  return list.PlayInfo.map((info) => info.JobId);
}
