import { z } from 'zod';
import type { Sql } from '../platform/index.ts';

const DAY_MS = 86_400_000;
const date = z.iso.date();
const productId = z.uuid().transform((s) => s.toLowerCase());

/** `?from&to&product_id`: UTC days, both included (default the last 30), at most 366 of them. */
export const daysQuery = z
  .strictObject({ from: date.optional(), to: date.optional(), product_id: productId.optional() })
  .transform((q) => {
    const to = q.to ?? new Date().toISOString().slice(0, 10);
    const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
    return { from, to, product_id: q.product_id };
  })
  .refine((q) => q.from <= q.to, { path: ['from'], message: 'must not be after to' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < 366 * DAY_MS, { path: ['to'], message: 'at most 366 days after from' });

/** `?from&to`: ISO times, from included, to not (default the last 48 hours), at most 31 days apart. */
export const hoursQuery = z
  .strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
  .transform((q) => {
    const to = q.to === undefined ? Date.now() : Date.parse(q.to);
    const from = q.from === undefined ? to - 48 * 3_600_000 : Date.parse(q.from);
    return { from: new Date(from), to: new Date(to) };
  })
  .refine((q) => q.from < q.to, { path: ['from'], message: 'must be before to' })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 31 * DAY_MS, { path: ['to'], message: 'at most 31 days after from' });

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);

/** The analytics tables as admins read them. */
export function createReports(sql: Sql) {
  return {
    /** Units, orders and revenue per product, day and currency, newest day first, then by units. */
    async sales(q: z.infer<typeof daysQuery>) {
      const rows = await sql<{ product_id: string; title: string | null; day: string; currency: string; units: number; orders: number; revenue_cents: number }[]>`
        select s.product_id, p.title, s.day::text as day, trim(s.currency) as currency, s.units::float8 as units,
               s.orders::float8 as orders, s.revenue_cents::float8 as revenue_cents
        from sales_daily s left join products p using (product_id)
        where s.day between ${q.from}::date and ${q.to}::date and (${q.product_id ?? null}::uuid is null or s.product_id = ${q.product_id ?? null})
        order by s.day desc, s.units desc, s.product_id limit 10000`;
      return { from: q.from, to: q.to, sales: [...rows] };
    },

    /** Orders, revenue and refunds per hour and currency, oldest first. */
    async revenue(q: z.infer<typeof hoursQuery>) {
      const rows = await sql<{ hour: Date; currency: string; orders: number; revenue_cents: number; refunded_cents: number }[]>`
        select hour, trim(currency) as currency, orders::float8 as orders, revenue_cents::float8 as revenue_cents,
               refunded_cents::float8 as refunded_cents
        from revenue_hourly where hour >= date_trunc('hour', ${q.from}::timestamptz) and hour < ${q.to}
        order by hour, currency`;
      return { from: q.from.toISOString(), to: q.to.toISOString(), revenue: rows.map((r) => ({ ...r, hour: r.hour.toISOString() })) };
    },

    /**
     * Views → cart adds → orders per product over the days asked, with the rates between them (null where nothing
     * came before), most viewed first.
     */
    async conversion(q: z.infer<typeof daysQuery>) {
      const rows = await sql<{ product_id: string; title: string | null; views: number; cart_adds: number; orders: number; units: number }[]>`
        with i as (
          select product_id, sum(views) as views, sum(cart_adds) as cart_adds from product_interest_daily
          where day between ${q.from}::date and ${q.to}::date group by product_id
        ), s as (
          select product_id, sum(orders) as orders, sum(units) as units from sales_daily
          where day between ${q.from}::date and ${q.to}::date group by product_id
        )
        select product_id, p.title, coalesce(i.views, 0)::float8 as views, coalesce(i.cart_adds, 0)::float8 as cart_adds,
               coalesce(s.orders, 0)::float8 as orders, coalesce(s.units, 0)::float8 as units
        from i full join s using (product_id) left join products p using (product_id)
        where (${q.product_id ?? null}::uuid is null or product_id = ${q.product_id ?? null})
        order by views desc, orders desc, product_id limit 1000`;
      return {
        from: q.from,
        to: q.to,
        products: rows.map((r) => ({
          ...r,
          view_to_cart: ratio(r.cart_adds, r.views),
          cart_to_order: ratio(r.orders, r.cart_adds),
          view_to_order: ratio(r.orders, r.views),
        })),
      };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

