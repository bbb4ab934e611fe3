import type { LabelHistory, PromptConfig, PromptSelector, PromptSummary, PromptVersion } from './prompt-version.ts';

/**
 * Where prompts live: versioned templates with labels. Two implementations: local files (the embedded
 * default) and Langfuse. Moving a label takes it off every other version; `latest` is always the highest
 * version and cannot be set; with no label and no version, `production` is served.
 */
export interface PromptStore {
  readonly kind: 'local' | 'langfuse';
  /** The version a selector picks. Throws `PromptNotFoundError` naming what is missing. */
  get(name: string, selector?: PromptSelector): Promise<PromptVersion>;
  list(): Promise<PromptSummary[]>;
  /** Every version of one prompt, oldest first. */
  versions(name: string): Promise<PromptVersion[]>;
  /** Stores the next version (highest + 1) and returns it. It gets no label but `latest`. */
  createVersion(name: string, template: string, config: PromptConfig, commitMessage: string): Promise<PromptVersion>;
  /** Points `label` at `version`, taking it off every other version. */
  setLabel(name: string, label: string, version: number): Promise<void>;
  /**
   * Moves `label` back to the version it pointed at before its last move, and returns that version.
   * Throws `PromptNotFoundError` when there is no earlier version to go back to.
   */
  rollback(name: string, label: string): Promise<number>;
  /**
   * Each label's moves still on record, oldest first, the last being where it points now (a rollback
   * removes the last). Langfuse keeps the moves this service made, without their time.
   */
  labelHistory(name: string): Promise<LabelHistory>;
  /** Forgets cached versions of `name`, so the next `get` reads the source. */
  invalidate(name: string): void;
}
