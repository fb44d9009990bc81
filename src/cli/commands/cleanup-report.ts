/** `vod-ops cleanup report <id>` (registered in cleanup.ts): what a campaign's execution came to. */
import { AppError } from '../../core/errors.js';
import { campaignReport } from '../../core/workflow/campaign-report.js';
import { writeItemsCsv } from '../campaign-csv.js';
import { writeJson } from '../output.js';
import { renderReport, reportDocument } from '../render-campaign-run.js';
import type { CleanupDeps } from './cleanup.js';
import { found, parseCampaignId, withRuntime } from './cleanup-runtime.js';

/** Items read at a time for the CSV. */
const CSV_PAGE = 1000;

/**
 * The report (counts and bytes by status, bytes freed, failures by Alibaba's code, skips by reason), as text or
 * one JSON document; or, with `--csv`, every item as CSV on stdout, streamed a page at a time.
 */
export async function reportCampaign(
  deps: CleanupDeps,
  id: string,
  opts: { csv?: boolean; json?: boolean; sandbox?: boolean },
): Promise<void> {
  const json = opts.json === true;
  const parse = () => {
    if (opts.csv && json) {
      throw new AppError('INVALID_INPUT', 'Choose one of --csv (every item) and --json (the report).');
    }
    return parseCampaignId(id);
  };
  await withRuntime(
    deps,
    { json, readOnly: true, sandbox: opts.sandbox === true },
    parse,
    async (runtime, campaignId) => {
      const { campaigns } = runtime;
      if (opts.csv) {
        await found(campaigns.get(campaignId), campaignId);
        await writeItemsCsv(
          (afterSeq) => campaigns.items(campaignId, { afterSeq, limit: CSV_PAGE }),
          deps.io.stdout,
        );
        return undefined;
      }
      const report = await found(campaignReport(campaigns, campaignId), campaignId);
      const progress = await found(campaigns.progress(campaignId), campaignId);
      if (json) writeJson(deps.io, reportDocument(report, progress));
      else deps.io.stdout.write(`${renderReport(report)}\n`);
      return undefined;
    },
  );
}
