import type { CampaignItem } from '../core/campaigns/campaign.js';

/**
 * Every item of a campaign as CSV (`cleanup report --csv`), for a spreadsheet or a script: RFC 4180 (a field
 * with a comma, a quote or a line break is quoted, quotes doubled; lines end with CRLF), and safe to open in a
 * spreadsheet: a text field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
 * that it is read as text and never run as a formula (CSV injection). Numbers (`seq`, `bytes`) are written as they
 * are. Job IDs are joined by spaces, as the command line takes them.
 */
export const ITEM_CSV_COLUMNS = [
  'seq',
  'videoId',
  'jobIds',
  'bytes',
  'status',
  'requestId',
  'code',
  'reason',
  'settledAt',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One text field, guarded against formulas and quoted when it has to be. */
export function csvText(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function itemCsvRow(item: CampaignItem): string {
  const { outcome } = item;
  return [
    String(item.seq),
    csvText(item.videoId),
    csvText(item.jobIds.join(' ')),
    String(item.bytes),
    csvText(item.status),
    csvText(outcome?.requestId),
    csvText(outcome?.code),
    csvText(outcome?.reason),
    csvText(outcome ? new Date(outcome.at).toISOString() : undefined),
  ].join(',');
}

/**
 * Writes the header and every item, read a page at a time by `page` (items after a `seq`, in order), waiting for
 * `out` to drain between pages: memory holds one page, whatever the campaign's size. Stops quietly when the reader
 * goes away (`| head`). Returns how many items were written.
 */
export async function writeItemsCsv(
  page: (afterSeq: number) => Promise<CampaignItem[]>,
  out: NodeJS.WritableStream,
): Promise<number> {
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    failure ??= error;
  };
  out.on('error', onError);
  try {
    let written = 0;
    let afterSeq = 0;
    let ok = out.write(`${ITEM_CSV_COLUMNS.join(',')}\r\n`);
    for (;;) {
      if (!ok) await drained(out);
      if (failure) break;
      const items = await page(afterSeq);
      if (items.length === 0) break;
      ok = out.write(`${items.map(itemCsvRow).join('\r\n')}\r\n`);
      written += items.length;
      afterSeq = items.at(-1)?.seq ?? afterSeq;
    }
    if (failure && failure.code !== 'EPIPE') throw failure;
    return written;
  } finally {
    out.off('error', onError);
  }
}

/** Resolves when `out` drains, closes or fails (the caller's listener keeps the failure). */
function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) out.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) out.on(event, done);
  });
}
