// The topic names live in topics.json so that tools/kafka/kafka.sh creates exactly these.
import topicNames from './topics.json';

export const Topics: Readonly<typeof topicNames> = topicNames;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const DEAD_LETTER_SUFFIX = '.DLT';

export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}
