import { z } from 'zod';

/**
 * The optional `region` argument of the tools that act on a video or a library: a region id as Alibaba spells it.
 * Whether vod-ops serves it is checked by core, which names the regions it does serve.
 */
export const RegionArg = z
  .string()
  .regex(/^[a-z]{2,}(-[a-z0-9]+){1,4}$/, 'a region id such as cn-shanghai or ap-southeast-1')
  .max(40)
  .optional();
