import { z } from 'zod';
import { REGION_ID_PATTERN } from '../core/vod/vod-config.js';

/**
 * The optional `region` argument of the tools that act on a video or a library: a region id as Alibaba spells it.
 * Whether vod-ops serves it is checked by core, which names the regions it does serve.
 */
export const RegionArg = z
  .string()
  .regex(REGION_ID_PATTERN, 'a region id such as cn-shanghai or ap-southeast-1')
  .max(40)
  .optional();
