import type { McpApprovalMode } from './deps.js';

/**
 * What each approval mode tells the model and the operator, so each describes itself truly: the server's
 * instructions, request_stream_deletion's description, and the start-up log line.
 */
export interface ApprovalText {
  /** For the server's instructions: what happens to a deletion an assistant asks for. */
  instructions: string;
  /** For request_stream_deletion's description, after what the tool deletes. */
  tool: string;
  /** For the operator's log at start. */
  log: string;
}

export function approvalText(mode: McpApprovalMode, readOnly: boolean): ApprovalText {
  if (readOnly) {
    return {
      instructions:
        'vod-ops lists ApsaraVideo VOD video streams and deletion requests. It is read-only here: no deletion can ' +
        'be requested.',
      tool: '',
      log: 'read-only: no deletion tool is offered',
    };
  }
  switch (mode) {
    case 'slack':
      return {
        instructions:
          'vod-ops lists ApsaraVideo VOD video streams and lets you REQUEST deletions of transcoded streams, which a ' +
          'person approves in Slack. Deletions are irreversible. Call list_video_streams first, then ' +
          'request_stream_deletion with at most 20 job IDs and a reason, then get_deletion_request for the outcome.',
        tool:
          'The deletion does not happen now: a person must approve it in Slack (never the requester). The result is ' +
          'pending_approval with a requestId (dr-…); the request expires if nobody decides in time (24 h by default). ' +
          'Check it later with get_deletion_request; withdraw it with cancel_deletion_request. An identical pending ' +
          'request is returned instead of a new one.',
        log: 'deletions are requests a person approves in Slack',
      };
    case 'elicit':
      return {
        instructions:
          'vod-ops lists ApsaraVideo VOD video streams and deletes transcoded streams once the user of this client ' +
          'confirms each deletion in a dialog showing exactly what would be deleted. Deletions are irreversible. ' +
          'Call list_video_streams first, then request_stream_deletion with at most 20 job IDs and a reason.',
        tool:
          'Before anything is deleted, the user of this client is shown exactly what would be deleted and must ' +
          "confirm; the deletion then happens at once and the result is deleted (with Alibaba's RequestId), or " +
          'declined / cancelled when the user says no. A client that cannot ask its user is refused.',
        log: 'deletions happen once the MCP client’s user confirms each one (elicitation): no approver is asked',
      };
    case 'none':
      return {
        instructions:
          'vod-ops lists ApsaraVideo VOD video streams and DELETES transcoded streams AT ONCE when asked, without any ' +
          'human approval (the operator chose so). Deletions are irreversible: be sure before calling ' +
          'request_stream_deletion, with at most 20 job IDs and a reason.',
        tool:
          'The deletion happens AT ONCE, without any human approval (the operator configured vod-ops so): the result ' +
          "is deleted, with Alibaba's RequestId. It is recorded in the audit trail with your reason.",
        log: 'VOD_OPS_MCP_APPROVAL=none: assistants delete streams WITHOUT human approval',
      };
    case 'unavailable':
      return {
        instructions:
          'vod-ops lists ApsaraVideo VOD video streams. Deletion requests are refused here: no approval path is ' +
          'configured, so nothing can be deleted.',
        tool:
          'Here it is refused: no approval path is configured for AI assistants, so nothing can be deleted until an ' +
          'operator configures one.',
        log: 'no approval path is configured: deletion requests are refused (fail closed)',
      };
  }
}
