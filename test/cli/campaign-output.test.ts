import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvText, ITEM_CSV_COLUMNS, itemCsvRow, writeItemsCsv } from '../../src/cli/campaign-csv.js';
import { createProgressOutput } from '../../src/cli/campaign-progress.js';
import type { CampaignItem, ItemCounts } from '../../src/core/campaigns/campaign.js';
import type { CampaignProgress } from '../../src/core/workflow/campaign-execution.js';
import { parseCsv } from '../helpers/csv.js';

const VIDEO = '94783faed59e41bde3bea921c994e5da';

function item(seq: number, patch: Partial<CampaignItem> = {}): CampaignItem {
  return {
    campaignId: 'cp-7kq2m9x4pzt1b',
    seq,
    videoId: VIDEO as CampaignItem['videoId'],
    jobIds: ['dfb7def03fe74233558bb253bb58650a', 'bbffd3db76aa4d4c98c5fa6f42f9bff9'],
    bytes: 1000 + seq,
    streams: [],
    status: 'pending',
    claims: 0,
    ...patch,
  };
}

function counts(done: number, skipped: number, failed: number, pending: number): ItemCounts {
  const c = (items: number) => ({ items, bytes: items * 1024 ** 2 });
  return { pending: c(pending), running: c(0), deleted: c(done), skipped: c(skipped), failed: c(failed) };
}

function progress(settled: [number, number, number], items = 10): CampaignProgress {
  const [done, skipped, failed] = settled;
  return {
    campaignId: 'cp-7kq2m9x4pzt1b',
    status: 'running',
    items,
    bytes: items * 1024 ** 2,
    counts: counts(done, skipped, failed, items - done - skipped - failed),
    ratePerSecond: 2.5,
    etaMs: 4000,
    startedAt: 0,
    at: 1000,
  };
}

/** A terminal as cli-progress sees one. */
class FakeTerminal extends Writable {
  isTTY = true;
  columns = 200;
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

describe('the CSV of a campaign’s items', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTab', "'\tTab"],
    ['', ''],
  ])('writes the text %j as %j', (value, written) => {
    expect(csvText(value)).toBe(written);
  });

  it('writes an item with its outcome in the documented columns', () => {
    const row = itemCsvRow(
      item(7, {
        status: 'failed',
        outcome: {
          at: Date.UTC(2026, 11, 4, 9),
          requestId: 'R-1',
          code: 'Forbidden',
          reason: 'DeleteStream failed: no.',
        },
      }),
    );
    expect(parseCsv(`${row}\r\n`)[0]).toEqual([
      '7',
      VIDEO,
      'dfb7def03fe74233558bb253bb58650a bbffd3db76aa4d4c98c5fa6f42f9bff9',
      '1007',
      'failed',
      'R-1',
      'Forbidden',
      'DeleteStream failed: no.',
      '2026-12-04T09:00:00.000Z',
    ]);
  });

  it('reads a page at a time and waits for a slow reader', async () => {
    const all = Array.from({ length: 25 }, (_, i) => item(i + 1));
    const asked: number[] = [];
    const page = async (afterSeq: number) => {
      asked.push(afterSeq);
      return all.filter((i) => i.seq > afterSeq).slice(0, 10);
    };
    const out = new PassThrough({ highWaterMark: 64 });
    let text = '';
    const read = (async () => {
      for await (const chunk of out) text += chunk.toString();
    })();
    expect(await writeItemsCsv(page, out)).toBe(25);
    out.end();
    await read;
    expect(asked).toEqual([0, 10, 20, 25]);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...ITEM_CSV_COLUMNS]);
    expect(rows.map((r) => r[0])).toEqual(all.map((i) => String(i.seq)));
  });

  it('stops quietly when the reader goes away', async () => {
    const out = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    let pages = 0;
    const written = await writeItemsCsv(async () => {
      pages += 1;
      return [item(pages)];
    }, out);
    expect(pages).toBeLessThan(3);
    expect(written).toBeLessThan(3);
  });
});

describe('the progress of a foreground run', () => {
  it('draws a bar on a terminal with the counts, the bytes freed, the rate and the time left', async () => {
    const stderr = new FakeTerminal();
    const stdout = new PassThrough();
    const output = await createProgressOutput({ stdout, stderr }, 'bar');
    output.update(progress([0, 0, 0]));
    output.update(progress([5, 1, 1]));
    output.note('stopping');
    output.stop();
    output.stop();
    expect(stderr.text).toContain('70% | 7/10 items: 5 deleted, 1 skipped, 1 failed | 5.00 MiB freed');
    expect(stderr.text).toContain('2.5 items/s, 0m04s left | stopping');
    expect(stdout.read()).toBeNull();
  });

  it('writes one JSON line per update elsewhere', async () => {
    const stdout = new PassThrough();
    const output = await createProgressOutput({ stdout, stderr: new PassThrough() }, 'lines');
    output.update(progress([2, 0, 1]));
    output.update(progress([4, 0, 1]));
    output.stop();
    const lines = String(stdout.read())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toMatchObject([
      {
        type: 'progress',
        id: 'cp-7kq2m9x4pzt1b',
        itemsDone: 2,
        itemsFailed: 1,
        itemsSettled: 3,
        etaMs: 4000,
      },
      { type: 'progress', itemsDone: 4, bytesFreed: 4 * 1024 ** 2, ratePerSecond: 2.5 },
    ]);
  });
});
