import { describe, expect, it } from 'vitest';
import { itemProgress, planFigures } from '../../../src/core/campaigns/campaign-figures.js';
import { addVideoToTotals, emptyPlanTotals } from '../../../src/core/campaigns/plan-totals.js';
import { aStream, hexId } from '../../helpers/builders.js';

const GIB = 1024 ** 3;
const totals = addVideoToTotals(emptyPlanTotals(), {
  selected: [aStream(hexId('1'), { definition: 'HD', format: 'mp4', sizeBytes: 3 * GIB })],
  held: [],
});

describe('a campaign’s figures', () => {
  it('reports the plan under the names front ends share, with the saving to the cent when a price is set', () => {
    const plan = { totals, items: 1, unreadable: { videos: 2 } };
    expect(planFigures(plan, 0.0173)).toStrictEqual({
      videosScanned: 1,
      videosMatched: 1,
      videosUnreadable: 2,
      streams: 1,
      bytes: 3 * GIB,
      items: 1,
      byDefinition: { HD: { streams: 1, bytes: 3 * GIB } },
      byFormat: { mp4: { streams: 1, bytes: 3 * GIB } },
      heldByGuards: totals.held,
      monthlySaving: 0.05,
      pricePerGbMonth: 0.0173,
    });
    expect(planFigures(plan, undefined)).not.toHaveProperty('monthlySaving');
  });

  it('counts a running item as pending, and frees only the bytes of items deleted', () => {
    expect(
      itemProgress({
        pending: { items: 3, bytes: 30 },
        running: { items: 1, bytes: 10 },
        deleted: { items: 5, bytes: 500 },
        skipped: { items: 2, bytes: 20 },
        failed: { items: 1, bytes: 7 },
      }),
    ).toStrictEqual({ itemsPending: 4, itemsDone: 5, itemsSkipped: 2, itemsFailed: 1, bytesFreed: 500 });
  });
});
