/** Slack's own error code from a failed Web API call (`not_in_channel`, `plan_upgrade_required`…), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}
