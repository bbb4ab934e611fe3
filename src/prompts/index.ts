export type { PromptStore } from './prompt-store.ts';
export {
  assertPromptName,
  assertSettableLabel,
  defaultLabel,
  knownLabels,
  latestLabel,
  promptConfigSchema,
  type LabelHistory,
  type PromptConfig,
  type PromptExample,
  type PromptSelector,
  type PromptSummary,
  type PromptVersion,
} from './prompt-version.ts';
export { LocalPromptStore, type LocalPromptStoreOptions } from './local-prompt-store.ts';
export { LangfusePromptStore, type LangfusePromptStoreOptions } from './langfuse-prompt-store.ts';
export { createLangfusePromptStore, createLocalPromptStore, createPromptStore, type PromptStoreSettings } from './create-prompt-store.ts';
export {
  allTables,
  compilePrompt,
  checkTemplateSyntax,
  type CompiledPrompt,
  type PromptVariables,
  type QuestionTablesVariable,
} from './compile-prompt.ts';
export { routeLabel, stickyBucket, type RouteRequest, type RoutingDecision } from './label-router.ts';
export { experimentSchema, type Experiment } from './experiment.ts';
export { PromptService, identityOf, type PromptServiceOptions, type ResolvedPrompt, type ServiceVariables } from './prompt-service.ts';
export { diffLines } from './diff-lines.ts';
export { parseFrontMatter, formatFrontMatter } from './front-matter.ts';
export { syncPrompts, type SyncReport } from './sync-prompts.ts';
