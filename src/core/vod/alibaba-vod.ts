import Credential, { CLIProfileCredentialsProvider, Config as CredentialConfig } from '@alicloud/credentials';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { neverThrowing, noTelemetry, type Telemetry } from '../telemetry.js';
import { toFailure } from './alibaba-failures.js';
import {
  GetPlayInfoBody,
  GetVideoInfoBody,
  RequestIdBody,
  SearchMediaBody,
  toMediaSearchPage,
  toStreams,
  toVideoDetails,
} from './alibaba-responses.js';
import { VodCallFailure } from './call-failure.js';
import { createCallLog } from './call-log.js';
import {
  type AttemptResult,
  type CallRecord,
  defaultRetryPolicy,
  type RetryPolicy,
  runVodCall,
  type Settled,
  type VodCallDeps,
} from './call-policy.js';
import { checkDeletion, describeCheck } from './deletion-check.js';
import type { JobIds, VideoId } from './input-rules.js';
import { createRateLimiter, type Limiter } from './rate-limiter.js';
import type { DeleteStreamOutcome, MediaSearchPage, PlayInfo, VideoDetails, VodApi } from './vod-api.js';
import type { VodConfig } from './vod-config.js';

/**
 * The VOD adapter over `@alicloud/openapi-core`, the engine the generated SDK `@alicloud/vod20170321` is built
 * on (that SDK is not served by our registry). It makes the same calls byte for byte: RPC style, ACS3-HMAC-SHA256
 * signature, business parameters in the query, empty body. This is the only module that imports Alibaba's
 * packages, so the generated SDK can replace the engine here without touching anything else.
 * @see https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 */

export type VodCredentials =
  /** Alibaba's default chain: env variables, OIDC/RRSA, aliyun CLI profile, credentials file, ECS RAM role. */
  | { type: 'default-chain' }
  /** A fixed AccessKey pair, used by the sandbox. */
  | { type: 'access-key'; accessKeyId: string; accessKeySecret: string }
  /** One aliyun CLI profile (`~/.aliyun/config.json`), by name: the CLI's `--profile`. */
  | { type: 'cli-profile'; profile: string };

export interface AlibabaVodOptions {
  config: VodConfig;
  credentials: VodCredentials;
  logger: Logger;
  clock: Clock;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
  /**
   * The limiter of each action at its rate (calls per second). Default: this process's own; the composition root
   * passes limiters whose budget every process using the same store shares.
   */
  limiterFor?: (action: VodAction, qps: number) => Limiter;
  /** Told of every call, labelled with `config.region`. Default: nowhere. */
  telemetry?: Telemetry;
}

/** The VOD actions this adapter calls, each under its own rate budget. */
export const VOD_ACTIONS = ['DeleteStream', 'GetPlayInfo', 'GetVideoInfo', 'SearchMedia'] as const;
export type VodAction = (typeof VOD_ACTIONS)[number];

const API_VERSION = '2017-03-21';

/**
 * The engine packages are CommonJS with an `exports.default` class. Native Node ESM hands the whole
 * `module.exports` to a default import (so the class is at `.default`), while bundler-style loaders (vitest)
 * already unwrap it: accept both.
 */
function commonJsDefault<T>(imported: { default: T } | T): T {
  return typeof imported === 'object' && imported !== null && 'default' in imported
    ? imported.default
    : (imported as T);
}
const CredentialClient = commonJsDefault(Credential as unknown as { default: typeof Credential.default });
const OpenApiClient = commonJsDefault(OpenApi as unknown as { default: typeof OpenApi.default });
/** DeleteStream's documented limit per account, shared by all its RAM users. */
const DOCUMENTED_DELETE_QPS = 50;
/**
 * GetPlayInfo is documented at 360 calls/s, GetVideoInfo at 100 and SearchMedia at 50 per account; stay a little
 * under.
 */
const READ_QPS = { GetPlayInfo: 340, GetVideoInfo: 95, SearchMedia: 48 } as const;
/** What SearchMedia answers besides its basic fields; `CreationTime` is basic, asked for so a page never lacks it. */
const SEARCH_FIELDS = 'Title,Status,CateId,Tags,Size,Duration,CreationTime';

/**
 * Whether Alibaba's default credential chain (or, with `profile`, that aliyun CLI profile) finds credentials on
 * this machine (env variables, OIDC, the aliyun CLI profile, the credentials file, the ECS RAM role), without
 * calling VOD. For a server to refuse to start rather than fail at its first deletion.
 */
export async function credentialsAvailable(profile?: string): Promise<boolean> {
  try {
    const client = profile ? new CredentialClient(null, cliProfileProvider(profile)) : new CredentialClient();
    const credential = await client.getCredential();
    return Boolean(credential.accessKeyId && credential.accessKeySecret);
  } catch {
    return false;
  }
}

/**
 * The credentials of one aliyun CLI profile, read when first needed. Whatever the engine says when it cannot read
 * them is replaced by a sentence naming the profile: its errors may quote the configuration file, secrets and all.
 */
function cliProfileProvider(profile: string) {
  let inner: ReturnType<ReturnType<typeof CLIProfileCredentialsProvider.builder>['build']> | undefined;
  return {
    getProviderName: () => 'cli_profile',
    async getCredentials() {
      try {
        inner ??= CLIProfileCredentialsProvider.builder().withProfileName(profile).build();
        return await inner.getCredentials();
      } catch {
        throw new Error(
          `unable to get credentials: the aliyun CLI profile "${profile}" could not be read from ~/.aliyun/config.json`,
        );
      }
    },
  };
}

/** The adapter: the VOD port, and `close()`, which writes the call log's waiting lines. */
export interface AlibabaVod extends VodApi {
  close(): void;
}

export function createAlibabaVod(options: AlibabaVodOptions): AlibabaVod {
  const { config } = options;
  const credential =
    options.credentials.type === 'access-key'
      ? new CredentialClient(
          new CredentialConfig({
            type: 'access_key',
            accessKeyId: options.credentials.accessKeyId,
            accessKeySecret: options.credentials.accessKeySecret,
          }),
        )
      : options.credentials.type === 'cli-profile'
        ? new CredentialClient(null, cliProfileProvider(options.credentials.profile))
        : new CredentialClient();
  const client = new OpenApiClient(
    new $OpenApiUtil.Config({
      credential,
      endpoint: config.endpoint,
      protocol: config.protocol,
      regionId: config.region,
      readTimeout: config.timeoutMs,
      connectTimeout: config.timeoutMs,
      userAgent: options.userAgent,
    }),
  );
  if (config.maxQps > DOCUMENTED_DELETE_QPS) {
    options.logger.warn(
      { maxQps: config.maxQps, documentedLimit: DOCUMENTED_DELETE_QPS },
      'VOD_MAX_QPS is above the documented DeleteStream limit: only right if Alibaba raised this account’s limit',
    );
  }
  const runtime = new $dara.RuntimeOptions({
    readTimeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = createCallLog(options.logger);
  const depsFor = (limiter: Limiter): VodCallDeps => ({
    limiter,
    retry: options.retry ?? { ...defaultRetryPolicy, maxAttempts: config.maxAttempts },
    log,
    clock: options.clock,
    timeoutMs: config.timeoutMs,
    sleep,
    telemetry: options.telemetry ? neverThrowing(options.telemetry) : noTelemetry,
    region: config.region,
  });
  const limiterFor =
    options.limiterFor ??
    ((_action: VodAction, qps: number) => createRateLimiter(qps, options.clock.monotonic));
  const deps = {
    DeleteStream: depsFor(limiterFor('DeleteStream', config.maxQps)),
    GetPlayInfo: depsFor(limiterFor('GetPlayInfo', READ_QPS.GetPlayInfo)),
    GetVideoInfo: depsFor(limiterFor('GetVideoInfo', READ_QPS.GetVideoInfo)),
    SearchMedia: depsFor(limiterFor('SearchMedia', READ_QPS.SearchMedia)),
  };

  // What the generated SDK passes to callApi for each of these actions.
  const paramsFor = (action: keyof typeof deps) =>
    new $OpenApiUtil.Params({
      action,
      version: API_VERSION,
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
  const params = {
    DeleteStream: paramsFor('DeleteStream'),
    GetPlayInfo: paramsFor('GetPlayInfo'),
    GetVideoInfo: paramsFor('GetVideoInfo'),
    SearchMedia: paramsFor('SearchMedia'),
  };

  async function call<S extends z.ZodType<{ RequestId: string }>>(
    action: keyof typeof deps,
    query: Record<string, string>,
    schema: S,
  ): Promise<AttemptResult<z.infer<S>>> {
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    let body: unknown;
    try {
      body = (await client.callApi(params[action], request, runtime)).body;
    } catch (error) {
      throw toFailure(error);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new VodCallFailure('unreadable', { cause: parsed.error });
    return { value: parsed.data, requestId: parsed.data.RequestId };
  }

  const getPlayInfo = async (videoId: VideoId): Promise<PlayInfo> => {
    const { value } = await runVodCall(
      { action: 'GetPlayInfo', videoId },
      () => call('GetPlayInfo', { VideoId: videoId, ResultType: 'Multiple' }, GetPlayInfoBody),
      deps.GetPlayInfo,
      async (failure) =>
        // A video without any transcoded stream is an empty list, not an error.
        failure.code === 'InvalidVideo.NoneStream' && failure.requestId
          ? { value: { RequestId: failure.requestId }, requestId: failure.requestId, outcome: 'succeeded' }
          : undefined,
    );
    return { requestId: value.RequestId, streams: toStreams(value) };
  };

  /**
   * A call that failed after an attempt that may have executed (a timeout, a lost connection, a 5xx) cannot say
   * what happened; the video's streams can. When none of the job IDs remain, the deletion is done (most often a
   * retry answered `InvalidStream.NotFound` for streams an earlier attempt deleted). Otherwise the failure stands,
   * saying what the check found: nothing deleted, part of it, or (when even the streams cannot be read) unknown.
   */
  const settleDelete =
    (videoId: VideoId, jobIds: JobIds) =>
    async (
      failure: VodCallFailure,
      record: CallRecord,
    ): Promise<Settled<DeleteStreamOutcome> | undefined> => {
      if (!record.mayHaveApplied) return undefined;
      const streams = await getPlayInfo(videoId).then(
        (info) => ({ requestId: info.requestId, jobIds: info.streams.map((s) => s.jobId) }),
        () => undefined,
      );
      const check = checkDeletion(jobIds, streams);
      if (check.verified !== 'deleted') {
        return {
          outcome: 'failed',
          note: describeCheck(check, record.requestIds),
          fields: {
            verified: check.verified,
            ...('checkRequestId' in check ? { checkRequestId: check.checkRequestId } : {}),
            ...('remaining' in check ? { remaining: check.remaining } : {}),
          },
        };
      }
      const requestId = failure.requestId ?? record.requestIds.at(-1) ?? check.checkRequestId;
      return {
        requestId,
        outcome: 'already_deleted',
        value: {
          requestId,
          requestIds: record.requestIds,
          attempts: record.attempts,
          alreadyDeleted: true,
          checkRequestId: check.checkRequestId,
        },
      };
    };

  return {
    async deleteStream(videoId, jobIds, callOptions = {}) {
      const { value, record, requestId } = await runVodCall(
        { action: 'DeleteStream', videoId, jobIds },
        async (): Promise<AttemptResult<DeleteStreamOutcome>> => {
          const result = await call(
            'DeleteStream',
            { VideoId: videoId, JobIds: jobIds.join(',') },
            RequestIdBody,
          );
          return {
            value: { requestId: result.requestId, requestIds: [], attempts: 0, alreadyDeleted: false },
            requestId: result.requestId,
          };
        },
        deps.DeleteStream,
        settleDelete(videoId, jobIds),
        callOptions,
      );
      return value.alreadyDeleted
        ? value
        : { ...value, requestId, requestIds: record.requestIds, attempts: record.attempts };
    },

    getPlayInfo,

    close: () => log.flush(),

    async getVideoInfo(videoId): Promise<VideoDetails> {
      const { value } = await runVodCall(
        { action: 'GetVideoInfo', videoId },
        () => call('GetVideoInfo', { VideoId: videoId }, GetVideoInfoBody),
        deps.GetVideoInfo,
      );
      return toVideoDetails(value);
    },

    async searchMedia(search): Promise<MediaSearchPage> {
      const query: Record<string, string> = {
        SearchType: search.mediaType ?? 'video',
        Fields: SEARCH_FIELDS,
        SortBy: search.sortBy ?? 'CreationTime:Asc',
        PageNo: String(search.pageNo),
        PageSize: String(search.pageSize),
        ...(search.match ? { Match: search.match } : {}),
        ...(search.scrollToken ? { ScrollToken: search.scrollToken } : {}),
      };
      const { value } = await runVodCall(
        { action: 'SearchMedia', pageNo: search.pageNo },
        () => call('SearchMedia', query, SearchMediaBody),
        deps.SearchMedia,
      );
      return toMediaSearchPage(value);
    },
  };
}
