export { audit, type AuditInput, type AuditReport } from './checks.ts';
export { auditCheckouts, type CheckoutAuditInput } from './checkouts.ts';
export { auditDrop, collect, pgProgress } from './collect.ts';
export { auditAllCheckouts } from './collect-checkouts.ts';
export { auditAndKeep, lastAudit, type AuditRecord } from './last.ts';
