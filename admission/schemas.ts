import { z } from 'zod';

const when = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' });

export const createDropBody = z
  .strictObject({
    product_id: z.uuid(),
    quantity: z.number().int().min(1).max(10_000_000),
    starts_at: when,
    ends_at: when.optional(),
    per_user_limit: z.number().int().min(1).max(100).default(1),
    hold_seconds: z.number().int().min(10).max(86_400).default(300),
    queue_limit: z.number().int().min(1).max(100_000_000).optional(),
  })
  .refine((d) => d.ends_at === undefined || Date.parse(d.ends_at) > Date.parse(d.starts_at), {
    path: ['ends_at'],
    message: 'must be after starts_at',
  });
export type CreateDropInput = z.infer<typeof createDropBody>;

export const joinBody = z.strictObject({
  quantity: z.number().int().min(1).max(100).default(1),
  payment_method_id: z
    .string()
    .regex(/^pm_[A-Za-z0-9_]{1,100}$/, 'must be a payment method id such as pm_card_visa')
    .optional(),
  shipping_address_id: z.uuid().optional(),
});
export type JoinInput = z.infer<typeof joinBody>;
