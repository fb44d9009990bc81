import type { Clock } from '../clock.js';
import { errorSummary, summarizeFailure } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { DeletionPreview } from '../requests/deletion-preview.js';
import type { Principal } from '../requests/principal.js';
import type { DeletionStore } from '../store/deletion-store.js';
import type { JobIds, VideoId } from '../vod/input-rules.js';
import type { DeleteStreamOutcome, VodApi } from '../vod/vod-api.js';
import type { VodRegions } from '../vod/vod-regions.js';
import type { InFlight } from './in-flight.js';

/**
 * A deletion made at once, without a request: by the person at a terminal who confirmed the preview, or by an
 * assistant whose client's user confirmed it (`elicitation`) or that needs no approval (`none`). It is recorded
 * in the audit trail as `direct_deletion` twice: `started` before DeleteStream is called (a deletion that could
 * not be recorded is never made, and an interrupted one still leaves a trace), and the outcome after. Tracked
 * in `InFlight`, so shutdown waits for the deletion and its record.
 */
export interface DirectDeletion {
  /** Runs DeleteStream for what `preview` showed. Throws what DeleteStream threw, once its failure is recorded. */
  run(input: DirectDeletionInput): Promise<DirectDeletionResult>;
  /** Records that the person asked declined or dismissed the deletion: nothing was deleted. */
  recordRefusal(
    input: Omit<DirectDeletionInput, 'preview'> & { outcome: 'declined' | 'cancelled' },
  ): Promise<void>;
}

export interface DirectDeletionInput {
  videoId: VideoId;
  /** The region the preview was read in, where DeleteStream is sent. */
  region: string;
  jobIds: JobIds;
  /** Who deletes: the operating-system user at the terminal, the assistant's principal. */
  actor: Principal;
  /** What was shown and confirmed. */
  preview: DeletionPreview;
  reason?: string;
  /** How it was approved when not by the actor in person: `elicitation`, `none`. */
  approval?: string;
}

export interface DirectDeletionResult {
  outcome: DeleteStreamOutcome;
  /**
   * False when the outcome could not be written to the audit trail after the deletion (the `started` entry is
   * there). The deletion itself happened; the caller says so.
   */
  recorded: boolean;
}

export interface DirectDeletionDeps {
  vod: VodRegions<VodApi>;
  store: DeletionStore;
  clock: Clock;
  logger: Logger;
  inFlight: InFlight;
}

export function createDirectDeletion(deps: DirectDeletionDeps): DirectDeletion {
  const append = (input: Omit<DirectDeletionInput, 'preview'>, details: Record<string, unknown>) => {
    const entry: AuditEntry = {
      at: deps.clock.now(),
      type: 'direct_deletion',
      actor: input.actor,
      videoId: input.videoId,
      details: {
        region: input.region,
        jobIds: input.jobIds,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.approval ? { approval: input.approval } : {}),
        ...details,
      },
    };
    return deps.store.appendAudit([entry]);
  };

  /** After the call, a failing audit write must neither hide Alibaba's answer nor replace its error. */
  const appendAfter = (input: DirectDeletionInput, details: Record<string, unknown>) =>
    append(input, details).then(
      () => true,
      (error: unknown) => {
        deps.logger.error(
          { videoId: input.videoId, outcome: details.outcome, err: errorSummary(error) },
          'the outcome of a direct deletion could not be written to the audit trail',
        );
        return false;
      },
    );

  const run = async (input: DirectDeletionInput): Promise<DirectDeletionResult> => {
    const freedBytes = input.preview.freedBytes;
    await append(input, { outcome: 'started', freedBytes });
    let outcome: DeleteStreamOutcome;
    try {
      outcome = await deps.vod.in(input.region).deleteStream(input.videoId, input.jobIds);
    } catch (error) {
      await appendAfter(input, {
        outcome: 'failed',
        freedBytes,
        ...summarizeFailure(error, 'unexpected error'),
      });
      throw error;
    }
    const recorded = await appendAfter(input, {
      outcome: outcome.alreadyDeleted ? 'already_deleted' : 'succeeded',
      requestId: outcome.requestId,
      requestIds: outcome.requestIds,
      freedBytes,
    });
    return { outcome, recorded };
  };

  return {
    run: (input) => deps.inFlight.track(run(input)),
    recordRefusal: ({ outcome, ...input }) => deps.inFlight.track(append(input, { outcome })),
  };
}
