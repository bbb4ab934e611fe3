/**
 * User feedback on a trace, kept in both stores: the local span store and Langfuse (a `user_feedback` score).
 */
export { FeedbackService, type FeedbackLocalStoreSource, type FeedbackResult, type FeedbackServiceOptions } from './feedback-service.ts';
export { maxFeedbackCommentLength, validateFeedbackInput, type FeedbackInput, type ValidFeedbackInput } from './feedback-input.ts';
export {
  LangfuseScoreSender,
  type LangfuseScoreSenderOptions,
  type NumericTraceScore,
  type ScoreSendFailureReason,
  type ScoreSendOutcome,
} from './langfuse-score-sender.ts';
