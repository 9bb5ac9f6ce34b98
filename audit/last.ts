import type { Redis } from 'ioredis';
import { dropKeys } from '../contracts/index.ts';
import type { AuditReport } from './checks.ts';
import { auditDrop, type CollectDeps } from './collect.ts';

/** A drop's audit as it was when it ran. */
export interface AuditRecord {
  at: string;
  report: AuditReport;
}

/** Audits the drop and keeps the result as its last audit, for whoever looks next (the ops dashboard). */
export async function auditAndKeep(deps: CollectDeps, now = Date.now): Promise<AuditRecord> {
  const record: AuditRecord = { at: new Date(now()).toISOString(), report: await auditDrop(deps) };
  await deps.redis.set(dropKeys(deps.dropId).audit, JSON.stringify(record));
  return record;
}

/** The drop's last audit, or null when none ran. */
export async function lastAudit(redis: Redis, dropId: string): Promise<AuditRecord | null> {
  const json = await redis.get(dropKeys(dropId).audit);
  return json === null ? null : (JSON.parse(json) as AuditRecord);
}
