/**
 * What the service's own PostgreSQL role needs, and no more, when the tables belong to another role (the one that
 * runs the migrations): it can make and decide requests, append to the audit trail and read it, but not change or
 * delete an entry, and, not owning the table, not disable its triggers either (`ALTER TABLE … DISABLE TRIGGER` and
 * `session_replication_role` need the owner or a superuser).
 */
export const RUNTIME_GRANTS: ReadonlyArray<{ privileges: string; on: string }> = [
  { privileges: 'SELECT', on: 'TABLE schema_migrations' },
  { privileges: 'SELECT, INSERT, UPDATE', on: 'TABLE deletion_requests' },
  { privileges: 'SELECT, INSERT', on: 'TABLE audit_events' },
  { privileges: 'USAGE', on: 'SEQUENCE audit_events_seq_seq' },
  { privileges: 'SELECT, INSERT, UPDATE', on: 'TABLE rate_slots' },
  { privileges: 'SELECT, INSERT, UPDATE, DELETE', on: 'TABLE seen_once' },
  { privileges: 'SELECT, INSERT, UPDATE', on: 'TABLE campaigns' },
  { privileges: 'SELECT, INSERT, UPDATE', on: 'TABLE campaign_items' },
  { privileges: 'SELECT, INSERT, UPDATE', on: 'TABLE audit_deliveries' },
];

/** A role name as PostgreSQL takes it: letters, digits, `_` and `$`, not starting with a digit. */
export const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
