export const Topics = {
  PetEvents: 'pet-events',
  OrderEvents: 'order-events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

export const DEAD_LETTER_SUFFIX = '.DLT';

export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}
