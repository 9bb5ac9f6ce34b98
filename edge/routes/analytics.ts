import { Hono } from 'hono';
import { daysQuery, hoursQuery, type Reports } from '../../analytics/index.ts';
import type { EdgeEnv } from '../env.ts';
import { parseWith } from '../validate.ts';

/** Admin analytics: sales per product and day, revenue per hour, conversion per product; behind the admin role. */
export const adminAnalyticsRoutes = (reports: Reports) =>
  new Hono<EdgeEnv>()
    .get('/analytics/sales', async (c) => c.json(await reports.sales(parseWith(daysQuery, c.req.query(), 'query'))))
    .get('/analytics/revenue', async (c) => c.json(await reports.revenue(parseWith(hoursQuery, c.req.query(), 'query'))))
    .get('/analytics/conversion', async (c) => c.json(await reports.conversion(parseWith(daysQuery, c.req.query(), 'query'))));
