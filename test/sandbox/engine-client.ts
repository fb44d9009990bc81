import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';

export interface EngineClientOptions {
  port: number;
  accessKeyId: string;
  accessKeySecret: string;
  readTimeout?: number;
}

export interface EngineResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Calls VOD actions through the official engine, byte for byte what the generated VOD SDK sends. */
export interface EngineClient {
  call(action: string, query: Record<string, string>, version?: string): Promise<EngineResponse>;
}

export function createEngineClient(options: EngineClientOptions): EngineClient {
  const CredentialClass = defaultClass<typeof Credential.default>(Credential);
  const OpenApiClient = defaultClass<typeof OpenApi.default>(OpenApi);
  const credential = new CredentialClass(
    new CredentialConfig({
      type: 'access_key',
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
    }),
  );
  const config = new $OpenApiUtil.Config({
    credential,
    endpoint: `127.0.0.1:${options.port}`,
    protocol: 'http',
    readTimeout: options.readTimeout ?? 5000,
    connectTimeout: options.readTimeout ?? 5000,
  });
  const client = new OpenApiClient(config);
  return {
    async call(action, query, version = '2017-03-21') {
      const params = new $OpenApiUtil.Params({
        action,
        version,
        protocol: 'HTTPS',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
      return (await client.callApi(params, request, new $dara.RuntimeOptions({}))) as EngineResponse;
    },
  };
}

/**
 * The engine's packages are CommonJS with `exports.default = Class`. Native Node ESM and tsx hand the default import
 * the whole `module.exports` (so the class is at `.default`), while vitest hands it the class itself: unwrap
 * `.default` until reaching a function so both work.
 */
function defaultClass<T>(imported: unknown): T {
  let value = imported;
  while (typeof value === 'object' && value !== null && 'default' in value) value = value.default;
  if (typeof value !== 'function') throw new TypeError('the engine package has no default class export');
  return value as T;
}
