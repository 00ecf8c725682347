// The topic names live in topics.json so that tools/kafka/kafka.sh creates exactly these, and the
// dead-letter conventions in dead-letters.json so that tools/dead-letters reads what consumers park.
import deadLetters from './dead-letters.json';
import topicNames from './topics.json';

export const Topics: Readonly<typeof topicNames> = topicNames;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const DEAD_LETTER_SUFFIX = deadLetters.suffix;

/**
 * Headers of a parked message (besides the original's own): why and where from. A replay adds
 * `replayedFrom` to the message it sends back, and records itself on the dead-letter topic as a
 * message with `replayOf`.
 */
export const DLT_HEADERS: Readonly<typeof deadLetters.headers> = deadLetters.headers;

export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}
