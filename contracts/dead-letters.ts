import { z } from 'zod';

/**
 * A message a consumer could not process, on `dead.letters` (key: the message's own key): where it came from,
 * why it was parked, and its value as text, kept for an operator to read or replay.
 */
export const deadLetter = z.object({
  source: z.object({
    topic: z.string().min(1),
    partition: z.number().int().min(0),
    offset: z.number().int().min(0),
    consumer: z.string().min(1),
  }),
  reason: z.string().min(1),
  value: z.string().nullable(),
  at: z.number().int(),
});
export type DeadLetter = z.infer<typeof deadLetter>;

/** The dead letter of a message value, validated. */
export const deadLetterOf = (
  source: DeadLetter['source'],
  reason: string,
  value: Buffer | string | null,
  at: number,
): DeadLetter => deadLetter.parse({ source, reason, value: value === null ? null : value.toString(), at });
