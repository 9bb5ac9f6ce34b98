import { z } from 'zod';

/** Lifecycle of a drop as shoppers see it. */
export const dropStatuses = ['scheduled', 'open', 'sold_out', 'ended'] as const;
export type DropStatus = (typeof dropStatuses)[number];

/** Every state an intent can be in; the last five are final. */
export const intentStatuses = [
  'prequeued',
  'queued',
  'reserved',
  'waitlisted',
  'purchased',
  'sold_out',
  'payment_failed',
  'expired',
  'cancelled',
] as const;
export type IntentStatus = (typeof intentStatuses)[number];
export const finalStatuses: ReadonlySet<IntentStatus> = new Set([
  'purchased',
  'sold_out',
  'payment_failed',
  'expired',
  'cancelled',
]);

/** Why a held unit goes back to the drop. */
export const releaseReasons = ['payment_failed', 'expired', 'cancelled'] as const;
export type ReleaseReason = (typeof releaseReasons)[number];

const uuid = z.uuid();
const base = { v: z.literal(1), drop_id: uuid, at: z.number().int() };

/**
 * Commands on `drop.intents`, in the drop's own partition, decided in log order by the sequencer:
 * a shopper joins; a held unit is released (payment failed, hold expired, shopper gave up, or a
 * queued shopper left the line); a held unit was paid for; the drop is closed early.
 */
export const dropCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('join'),
    ...base,
    intent_id: uuid,
    user_id: uuid,
    quantity: z.number().int().min(1),
    payment_method_id: z.string().min(1).optional(),
    shipping_address_id: uuid.optional(),
  }),
  z.object({ type: z.literal('release'), ...base, intent_id: uuid, reason: z.enum(releaseReasons) }),
  z.object({ type: z.literal('purchase'), ...base, intent_id: uuid, order_id: uuid }),
  z.object({ type: z.literal('close'), ...base }),
]);
export type DropCommand = z.infer<typeof dropCommand>;
export type JoinCommand = Extract<DropCommand, { type: 'join' }>;

/**
 * One change of one intent, on `drop.decisions` (key: drop id) and, compactly, on Redis pub/sub.
 * `offset` is the offset of the intent's join in `drop.intents`; `hold_expires_at` is epoch ms.
 */
export const decision = z.object({
  type: z.literal('decision'),
  v: z.literal(1),
  drop_id: uuid,
  intent_id: uuid,
  user_id: uuid,
  quantity: z.number().int().min(1),
  status: z.enum(intentStatuses),
  /** Per-drop sequence number of decisions: a consumer applies a decision only when it is newer. */
  seq: z.number().int().min(1),
  offset: z.number().int().min(0),
  hold_expires_at: z.number().int().optional(),
  order_id: uuid.optional(),
  payment_method_id: z.string().optional(),
  shipping_address_id: uuid.optional(),
  at: z.number().int(),
});
export type Decision = z.infer<typeof decision>;

/** A decision as Redis stores it (the sequencer's JSON); throws when it is not one. */
export const decisionOf = (json: string): Decision => decision.parse(JSON.parse(json));

/**
 * A decision as the waiting room needs it, on Redis pub/sub: who, what, in which order, and what the
 * shopper is told with it. A full `Decision` is one too (extra fields are allowed).
 */
export const decisionUpdate = z.object({
  intent_id: uuid,
  status: z.enum(intentStatuses),
  seq: z.number().int().min(1),
  hold_expires_at: z.number().int().optional(),
  order_id: uuid.optional(),
});
export type DecisionUpdate = z.infer<typeof decisionUpdate>;

/**
 * What the sequencer publishes on `dropChannel(id)` after each batch: the decisions it made (compactly: a
 * batch of 2,000 full decisions was ~700 KB for every edge to parse) and the drop's state after them.
 * Edges fan this out to waiting sockets.
 */
export const dropEvent = z.object({
  drop_id: uuid,
  status: z.enum(dropStatuses),
  remaining: z.number().int().min(0),
  decided_offset: z.number().int().min(-1),
  decisions: z.array(decisionUpdate),
});
export type DropEvent = z.infer<typeof dropEvent>;

/** Messages the waiting-room socket sends to a shopper. */
export type ServerMessage =
  /** eta_seconds is null until the line has moved enough to estimate its pace. */
  | { type: 'position'; intent_id: string; position: number; eta_seconds: number | null }
  | {
      type: 'status';
      intent_id: string;
      status: IntentStatus;
      order_id?: string | undefined;
      hold_expires_at?: string | undefined;
    }
  | { type: 'drop'; status: DropStatus; remaining: number }
  | { type: 'pong' }
  | { type: 'error'; message: string };

/** Messages a shopper may send on the waiting-room socket. */
export const clientMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') })]);
