import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { adminOf } from './global-setup.ts';

// Each integration test file works in a database of its own, a copy of the run's migrated template: the order
// worker's loops, the drop opener and the outbox relay of one file never see another file's rows.
const template = new URL(inject('templateDatabase'));
const name = `${decodeURIComponent(template.pathname.slice(1))}_${randomBytes(4).toString('hex')}`;
const admin = adminOf(template.toString());
try {
  await admin`create database ${admin(name)} template ${admin(decodeURIComponent(template.pathname.slice(1)))}`;
} finally {
  await admin.end();
}
const own = new URL(template);
own.pathname = `/${name}`;
process.env.DATABASE_URL = own.toString();
