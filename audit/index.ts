export { audit, type AuditInput, type AuditReport } from './checks.ts';
export { auditDrop, collect, pgProgress } from './collect.ts';
export { auditAndKeep, lastAudit, type AuditRecord } from './last.ts';
