/** Kafka topics of the platform, with the partition counts of ARCHITECTURE.md. */
export const topics = {
  dropIntents: { name: 'drop.intents', partitions: 32 },
  dropDecisions: { name: 'drop.decisions', partitions: 32 },
  orderEvents: { name: 'order.events', partitions: 16 },
  productEvents: { name: 'product.events', partitions: 16 },
  /** Messages a consumer could not process, with the reason; kept for an operator. */
  deadLetters: { name: 'dead.letters', partitions: 1 },
} as const;

export type TopicSpec = { name: string; partitions: number };

export const allTopics: TopicSpec[] = Object.values(topics);
