/**
 * Business knowledge per datasource: a glossary, metrics, join hints and verified examples, checked against
 * the live schema, rendered into the prompt per question, and an example library that grows from feedback.
 */
export { KnowledgeService, type KnowledgeDatasource, type KnowledgeServiceOptions, type LoadedKnowledge } from './knowledge-service.ts';
export {
  checkKnowledge,
  type CheckedKnowledge,
  type GlossaryTarget,
  type ResolvedGlossaryEntry,
  type ResolvedMetric,
  type ResolvedJoinHint,
  type KnowledgeProbe,
} from './check-knowledge.ts';
export { fileFeedbackCandidate, type CandidateFiling, type FeedbackCandidateSource } from './feedback-candidate.ts';
export { knowledgeCheckReport, type KnowledgeCheckReport } from './knowledge-report.ts';
export { ExampleIndex, type RetrievedExample } from './example-retrieval.ts';
export { parseKnowledge, readKnowledgeFile } from './knowledge-file.ts';
export {
  exampleSchema,
  exampleStatuses,
  knowledgeFileSchema,
  type ExampleStatus,
  type KnowledgeExample,
  type KnowledgeFile,
} from './knowledge-schema.ts';
export {
  defaultKnowledgeListingTokens,
  knowledgePromptVariables,
  questionKnowledge,
  type KnowledgePromptVariables,
  type QuestionKnowledge,
} from './prompt-variables.ts';
