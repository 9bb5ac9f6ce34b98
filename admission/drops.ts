import type { Redis } from 'ioredis';
import { dropKeys, newId, topics, type DropStatus } from '../contracts/index.ts';
import { AppError, type Sql } from '../platform/index.ts';
import type { CommandProducer } from './command-producer.ts';
import { initDropState } from './drop-state.ts';
import { readDropView } from './drop-view.ts';
import { effectiveStatus } from './rules.ts';
import type { CreateDropInput } from './schemas.ts';

interface DropRow {
  drop_id: string;
  product_id: string;
  quantity: number;
  price_cents: string;
  currency: string;
  starts_at: Date;
  ends_at: Date | null;
  per_user_limit: number;
  hold_seconds: number;
  queue_limit: number;
  kafka_partition: number;
  status: DropStatus;
}

/** What shoppers see of a drop. */
export interface PublicDrop {
  drop_id: string;
  product_id: string;
  status: DropStatus;
  starts_at: string;
  ends_at: string | null;
  quantity: number;
  remaining: number;
  queue_length: number;
  per_user_limit: number;
  price: { amount_cents: number; currency: string };
}

const PARTITIONS = topics.dropIntents.partitions;

/** Drops in PostgreSQL (the source of truth) and their live state in Redis. */
export function createDrops(deps: {
  sql: Sql;
  redis: Redis;
  commands: CommandProducer;
  /** The next offset Kafka will give in a partition of drop.intents. */
  nextOffset: (partition: number) => Promise<number>;
  now?: () => number;
}) {
  const { sql, redis } = deps;
  const now = deps.now ?? Date.now;

  async function toPublic(row: DropRow): Promise<PublicDrop> {
    const view = await readDropView(redis, row.drop_id);
    const waiting = view ? Math.max(0, view.last_offset - view.decided_offset) : 0;
    const waitlisted = view ? await redis.llen(dropKeys(row.drop_id).waitlist) : 0;
    return {
      drop_id: row.drop_id,
      product_id: row.product_id,
      status: view ? effectiveStatus(view, now()) : row.status,
      starts_at: row.starts_at.toISOString(),
      ends_at: row.ends_at?.toISOString() ?? null,
      quantity: row.quantity,
      remaining: view ? view.stock : row.quantity,
      queue_length: waiting + waitlisted,
      per_user_limit: row.per_user_limit,
      price: { amount_cents: Number(row.price_cents), currency: row.currency },
    };
  }

  const byId = async (dropId: string) => {
    const [row] = await sql<DropRow[]>`select * from drops where drop_id = ${dropId}`;
    if (!row) throw new AppError('not_found', 'no such drop');
    return row;
  };

  return {
    /**
     * Creates a drop: in one transaction its quantity leaves the product's inventory (largest
     * warehouses first; 409 when there is not enough), and it gets the least used partition of
     * `drop.intents`; then its stock is loaded into Redis.
     */
    async create(input: CreateDropInput, adminId: string): Promise<PublicDrop> {
      const drop_id = newId();
      const startsAt = new Date(input.starts_at);
      const row = await sql.begin(async (tx) => {
        const [product] = await tx<{ price_cents: string; currency: string }[]>`
          select price_cents, currency from products where product_id = ${input.product_id}`;
        if (!product) throw new AppError('not_found', 'no such product');
        // Rows are locked in (product_id, warehouse_id) order, as every writer of inventory locks them, so a drop
        // created while checkouts reserve the same product cannot deadlock with them; taken largest first.
        const locked = await tx<{ warehouse_id: string; available_count: number }[]>`
          select warehouse_id, available_count from inventory
          where product_id = ${input.product_id} and available_count > 0
          order by warehouse_id for update`;
        const stock = locked.toSorted((a, b) => b.available_count - a.available_count || (a.warehouse_id < b.warehouse_id ? -1 : 1));
        const available = stock.reduce((s, r) => s + r.available_count, 0);
        if (available < input.quantity) {
          throw new AppError('conflict', `only ${available} units of this product are available`, {
            details: { available },
          });
        }
        const [{ p } = { p: 0 }] = await tx<{ p: number }[]>`
          select p from generate_series(0, ${PARTITIONS - 1}) p
          left join drops d on d.kafka_partition = p and d.status in ('scheduled', 'open')
          group by p order by count(d.drop_id), p limit 1`;
        const [created] = await tx<DropRow[]>`
          insert into drops (drop_id, product_id, quantity, price_cents, currency, starts_at, ends_at, per_user_limit,
                             hold_seconds, queue_limit, kafka_partition, status, created_by)
          values (${drop_id}, ${input.product_id}, ${input.quantity}, ${product.price_cents}, ${product.currency},
                  ${startsAt}, ${input.ends_at ? new Date(input.ends_at) : null}, ${input.per_user_limit},
                  ${input.hold_seconds}, ${input.queue_limit ?? input.quantity * 2}, ${p},
                  ${startsAt.getTime() <= now() ? 'open' : 'scheduled'}, ${adminId})
          returning *`;
        let left = input.quantity;
        for (const s of stock) {
          const take = Math.min(left, s.available_count);
          if (take === 0) break;
          left -= take;
          await tx`update inventory set available_count = available_count - ${take}, updated_at = now()
                   where product_id = ${input.product_id} and warehouse_id = ${s.warehouse_id}`;
          await tx`insert into drop_stock (drop_id, warehouse_id, quantity) values (${drop_id}, ${s.warehouse_id}, ${take})`;
        }
        return created!;
      });
      await this.load(row.drop_id);
      return toPublic(row);
    },

    /**
     * Loads a drop's stock and rules into Redis if they are not there yet. Refuses for a drop that
     * already decided intents: its stock in Redis was lost and must be rebuilt, not reset.
     */
    async load(dropId: string): Promise<void> {
      const row = await byId(dropId);
      if ((await redis.exists(dropKeys(dropId).state)) === 1) return;
      const [decided] = await sql`select 1 from drop_intents where drop_id = ${dropId}
                                  and status not in ('prequeued', 'queued') limit 1`;
      if (decided) throw new AppError('unavailable', `drop ${dropId} lost its Redis state after deciding intents`);
      await initDropState(redis, {
        drop_id: row.drop_id,
        quantity: row.quantity,
        hold_seconds: row.hold_seconds,
        per_user_limit: row.per_user_limit,
        queue_limit: row.queue_limit,
        starts_at: row.starts_at.getTime(),
        ends_at: row.ends_at?.getTime() ?? null,
        partition: row.kafka_partition,
        status: row.status,
        decided_offset: (await deps.nextOffset(row.kafka_partition)) - 1,
      });
    },

    get: async (dropId: string) => toPublic(await byId(dropId)),

    /** Drops that are upcoming or running, soonest first. */
    async list(): Promise<PublicDrop[]> {
      const rows = await sql<DropRow[]>`
        select * from drops where status in ('scheduled', 'open') and (ends_at is null or ends_at > now())
        order by starts_at, drop_id limit 100`;
      return Promise.all(rows.map(toPublic));
    },

    /** Ends a drop early: later joins are sold out; its held units settle before stock returns. */
    async close(dropId: string): Promise<PublicDrop> {
      const row = await byId(dropId);
      if (row.status === 'ended') return toPublic(row);
      await deps.commands.send(row.kafka_partition, { type: 'close', v: 1, drop_id: dropId, at: now() });
      const [ended] = await sql<DropRow[]>`
        update drops set status = 'ended', ends_at = least(coalesce(ends_at, now()), now()), updated_at = now()
        where drop_id = ${dropId} returning *`;
      return toPublic(ended!);
    },
  };
}

export type Drops = ReturnType<typeof createDrops>;
