import type { SchemaMeta } from '../datasource/index.ts';
import { KnowledgeInvalidError } from '../errors/index.ts';
import type { KnowledgeDatasource, KnowledgeService } from './knowledge-service.ts';
import { exampleStatuses, type ExampleStatus } from './knowledge-schema.ts';

/** What `knowledge check` reports (the CLI prints it, `GET /v1/knowledge/:datasource/check` returns it). */
export interface KnowledgeCheckReport {
  datasource: string;
  /** The file that was checked. */
  file: string;
  schemaVersion: string;
  /** False when the file is not YAML or breaks the file schema: none of it is used, and `problems` says why. */
  parses: boolean;
  /** The entries that fit the live schema and are used; examples by status. */
  counts: { glossary: number; metrics: number; joinHints: number; examples: Record<ExampleStatus, number> };
  /** One line per entry left out (or per reason the file does not parse); empty when everything fits. */
  problems: string[];
}

/**
 * Checks a datasource's knowledge file against its live schema now (no cache) and says what is used and
 * what is not. A file that does not parse is a report with `parses: false`, not an exception, so a caller
 * can show every problem; other failures (the datasource is down) throw.
 */
export async function knowledgeCheckReport(
  service: KnowledgeService,
  datasource: KnowledgeDatasource,
  meta: SchemaMeta,
): Promise<KnowledgeCheckReport> {
  const file = await service.fileFor(datasource);
  const base = { datasource: datasource.id, file, schemaVersion: meta.schemaVersion };
  const noExamples = Object.fromEntries(exampleStatuses.map((status) => [status, 0])) as Record<ExampleStatus, number>;
  try {
    const checked = await service.check(datasource, meta, file);
    const examples = { ...noExamples };
    for (const example of checked.examples) examples[example.status] += 1;
    return {
      ...base,
      parses: true,
      counts: { glossary: checked.glossary.length, metrics: checked.metrics.length, joinHints: checked.joinHints.length, examples },
      problems: checked.problems,
    };
  } catch (error) {
    if (!(error instanceof KnowledgeInvalidError)) throw error;
    const problems = Array.isArray(error.details.problems) && error.details.problems.length ? error.details.problems.map(String) : [];
    return {
      ...base,
      parses: false,
      counts: { glossary: 0, metrics: 0, joinHints: 0, examples: noExamples },
      problems: problems.length ? problems : [error.message],
    };
  }
}
