export {
  createSequencer,
  defaultTopics,
  type Sequencer,
  type SequencerOptions,
  type SequencerTopics,
} from './sequencer.ts';
export { createDecider, sequencerKeys, type Decider, type DecideInput } from './script.ts';
export type { Decided, Refused, SequencedCommand } from './protocol.ts';
