export { audit, type AuditInput, type AuditReport } from './checks.ts';
export { collect } from './collect.ts';
