import type { SearchHit } from './conversation-reader.ts';
import type { DateRange } from './date-range.ts';
import { labelColumns } from './label-columns.ts';
import { CannotPlan, PlanningGap, UnplacedWords } from './planning-errors.ts';
import type { AnswerForm, PromptMetric } from './prompt-facts.ts';
import { tablesOfPlan, type Condition, type QueryPlan, type TimeUnit } from './query-plan.ts';
import { isParticiple, type AggregateFunction, type QuestionShape } from './question-shape.ts';
import { isFunctionWord, sameWord, wordsOf, type Word } from './question-words.ts';
import { columnReference as reference, type CatalogueColumn, type CatalogueTable, type SchemaCatalogue } from './schema-catalogue.ts';
import {
  linkKnowledge,
  linkMentions,
  missingValueMentions,
  presentValueMentions,
  verbNamesTable,
  type Mention,
  type PromptKnowledge,
} from './schema-linker.ts';
import { homeSchemaOf } from './search-hits.ts';

/** What the planner needs: the question read so far, and what the tools have shown. */
export interface PlanningInput {
  words: Word[];
  shape: QuestionShape;
  dateRange: DateRange | null;
  catalogue: SchemaCatalogue;
  hits: SearchHit[];
  /** Tables already asked for with show_table. */
  requested: readonly string[];
  /** How many more show_table calls the turn budget allows. */
  showsLeft: number;
  rowLimit: number | null;
  /** 0 for the first SQL; 1 when revising after an error (takes the next-best readings). */
  revision: number;
  /** The prompt's glossary and metrics (null when it has none). */
  knowledge?: Omit<PromptKnowledge, 'homeSchema'> | null;
  /** What the prompt's rules say about the form of the answer (none when absent). */
  answerForm?: AnswerForm;
  /** The prompt's today (ages are counted to it); null or absent when it gives none. */
  today?: string | null;
}

/** A thing the question names: a table (shown by its label columns) or one column. */
export interface Entity {
  table: CatalogueTable;
  column: CatalogueColumn | null;
  mention: Mention;
}

/** A mention of one kind. */
export type MentionOf<Kind extends Mention['kind']> = Extract<Mention, { kind: Kind }>;

/** Whether a mention is of a kind (a type guard for filters and finds). */
export const isMention =
  <Kind extends Mention['kind']>(kind: Kind) =>
  (mention: Mention): mention is MentionOf<Kind> =>
    mention.kind === kind;

/**
 * One plan being built: the question's links to the schema and the knowledge, the plan so far, and what
 * its parts have used up (mentions, negation words, extra words placed). The builder's parts (measure
 * resolution, conditions, time grouping, anti-joins, the coverage check) each read and extend it.
 */
export class PlanDraft {
  readonly words: Word[];
  readonly shape: QuestionShape;
  readonly catalogue: SchemaCatalogue;
  /** Word indices of the question's structure and its date phrase: not linked to the schema. */
  readonly skip: Set<number>;
  /** Every link from words of the question to the schema and the knowledge, in question order. */
  readonly mentions: Mention[];
  readonly metricMentions: Array<MentionOf<'metric'>>;
  /** Tables the question names, by qualified name. */
  readonly mentionedTables: string[];
  /** The schema of the first table named (else the search's), preferred for measures and values. */
  readonly homeSchema: string;
  /** Mentions the plan has taken as its subject, group, measure or a condition. */
  readonly used: Mention[] = [];
  /** Indices of negation words the plan expresses (an anti-join, a `<>`). */
  readonly negationsExpressed = new Set<number>();
  /** Words the plan accounts for beyond its links: a "per month" phrase it groups by, a number it compares with. */
  readonly extraPlaced = new Set<number>();
  /** Where each condition came from in the question (a share splits its conditions on it). */
  readonly conditionStart = new Map<Condition, number>();
  /** Whether the question's period is already applied (inside a NOT EXISTS), so the plan's date column takes none. */
  dateApplied = false;
  /** The period's bounds as a series by period reads them, when they differ from the question's (whole months). */
  seriesRange: { from: string | null; to: string | null } | null = null;
  /** The metric the measure uses, once chosen: its filter and time column apply too. */
  activeMetric: PromptMetric | null = null;
  aggregate: AggregateFunction | null;
  /** The entity asked about (counted, listed, ranked), once read. */
  subject: Entity | null = null;
  /** The grouping the question asks for (not a period: see `timeUnit`). */
  group: Entity | null = null;
  /** "per month", "by year": a trend groups by a period of a date column. */
  timeUnit: TimeUnit | null = null;
  readonly plan: QueryPlan;

  constructor(readonly input: PlanningInput) {
    const { words, shape, catalogue } = input;
    this.words = words;
    this.shape = shape;
    this.catalogue = catalogue;
    this.skip = new Set([...shape.structural, ...(input.dateRange?.wordIndices ?? [])]);
    const linked = [
      ...linkMentions(words, this.skip, catalogue),
      ...(input.knowledge ? linkKnowledge(words, catalogue, { ...input.knowledge, homeSchema: homeSchemaOf(input.hits) }) : []),
    ];
    this.mentions = [...linked, ...missingValueMentions(words, linked), ...presentValueMentions(words, linked)].sort(
      (left, right) => left.start - right.start || right.end - right.start - (left.end - left.start),
    );
    this.metricMentions = this.mentions.filter(isMention('metric'));
    const tables = this.mentions.filter(isMention('table'));
    // ("the customer order counts view" names the view, not the customers: a table's words inside a longer table name.)
    this.mentionedTables = unique(
      tables
        .filter(
          (mention) =>
            !tables.some(
              (other) =>
                other !== mention &&
                other.start <= mention.start &&
                mention.end <= other.end &&
                other.end - other.start > mention.end - mention.start,
            ),
        )
        .map((mention) => mention.table.qualifiedName),
    );
    this.homeSchema = tables[0]?.table.schema ?? homeSchemaOf(input.hits);
    this.aggregate = shape.aggregate;
    this.plan = {
      kind: shape.kind,
      base: '',
      dimensions: [],
      hiddenGroupKeys: [],
      measure: null,
      measureName: '',
      conditions: [],
      having: null,
      distinct: false,
      orderBy: null,
      direction: shape.direction,
      limit: null,
      joinTables: [],
      subjectWords: this.phraseText(shape.subject),
      groupWords: this.phraseText(shape.group),
      measureWords: this.phraseText(shape.measure),
      dateDescription: input.dateRange?.description ?? null,
    };
  }

  /** The words of a range, as written. */
  phraseText(range: [number, number] | null): string {
    return range
      ? this.words
          .slice(range[0], range[1])
          .map((word) => word.text)
          .join(' ')
      : '';
  }

  /** The mentions that start inside a range. */
  inRange(range: [number, number] | null): Mention[] {
    return range ? this.mentions.filter((mention) => mention.start >= range[0] && mention.start < range[1]) : [];
  }

  /** Adds a WHERE condition, remembering where in the question it came from. */
  addCondition(condition: Condition, start?: number): void {
    this.plan.conditions.push(condition);
    if (start !== undefined) this.conditionStart.set(condition, start);
  }

  /** The table or column a phrase names; a column wins when it adds words to a named table. */
  entityOf(range: [number, number] | null): Entity | null {
    const found = this.inRange(range);
    const tables = found.filter(isMention('table'));
    const columns = found
      .filter(isMention('column'))
      .filter((mention) => !tables.some((table) => mention.start >= table.start && mention.end <= table.end));
    if (columns.length > 0) {
      const ranked = [...columns].sort((left, right) => this.columnPreference(right) - this.columnPreference(left));
      const best =
        ranked[
          this.input.revision > 0 && ranked.length > 1 && this.columnPreference(ranked[1]) === this.columnPreference(ranked[0]) ? 1 : 0
        ];
      return { table: best.column.table, column: best.column, mention: best };
    }
    // English noun phrases end in their head: "prescribed medication" is about medications.
    if (tables.length > 0) {
      const head = [...tables].sort((left, right) => right.end - left.end || right.end - right.start - (left.end - left.start))[0];
      return { table: head.table, column: null, mention: head };
    }
    const value = found.find(isMention('value'));
    if (value) return { table: value.column.table, column: null, mention: value };
    // "classics": a glossary term for a condition names the rows of its table.
    const term = found.find(isMention('termCondition'));
    if (term) return { table: term.table, column: null, mention: term };
    return null;
  }

  /**
   * The thing counted when the subject phrase links to nothing: the first table the question names, but
   * only when that phrase has no word of its own ("how many are …"). "How many days did customers …"
   * counts days, not customers: a unit of counting the schema does not name is declined, not swapped.
   */
  fallbackSubject(): Entity | null {
    const { shape, words, skip } = this;
    const own = shape.subject
      ? words.slice(shape.subject[0], shape.subject[1]).filter((word) => !skip.has(word.index) && !isFunctionWord(word))
      : [];
    if (own.length > 0) throw new UnplacedWords(own.map((word) => word.text));
    const table = this.mentions.find(isMention('table'));
    if (table) return { table: table.table, column: null, mention: table };
    const value = this.mentions.find(isMention('value'));
    return value ? { table: value.column.table, column: null, mention: value } : null;
  }

  /** How well a column mention fits: in a named table, named whole, in the home schema, longer. */
  columnPreference(mention: MentionOf<'column'>): number {
    return (
      (this.mentionedTables.includes(mention.column.table.qualifiedName) ? 4 : 0) +
      (mention.whole ? 2 : 0) +
      (mention.column.table.schema === this.homeSchema ? 1 : 0) +
      (mention.end - mention.start) * 0.5
    );
  }

  /** Whether rows of `from` each belong to one row of the entity's table (a many-to-one path, or the same table). */
  reaches(from: CatalogueTable, target: Entity): boolean {
    if (from === target.table) return true;
    const path = this.catalogue.joinPath(from.qualifiedName, target.table.qualifiedName);
    return path !== null && path.every((step) => step.forward);
  }

  /** Whether rows of the base each belong to one row of `table` (a many-to-one path). */
  reachesForward(table: string): boolean {
    const path = this.catalogue.joinPath(this.plan.base, table);
    return path !== null && path.every((step) => step.forward);
  }

  /** Groups by an entity: its column, or its label columns with its key kept apart. */
  applyGroup(entity: Entity): void {
    const { plan } = this;
    this.used.push(entity.mention);
    if (entity.column) plan.dimensions.push(reference(entity.column));
    else {
      plan.dimensions.push(...labelColumns(entity.table).map(reference));
      const key = entity.table.primaryKey[0];
      if (key && !plan.dimensions.some((dimension) => dimension.column === key && dimension.table === entity.table.qualifiedName))
        plan.hiddenGroupKeys.push({ table: entity.table.qualifiedName, column: key });
    }
  }

  /** Every table the plan reads: the base, the joined ones, and those of its columns and conditions. */
  requiredTables(): string[] {
    return tablesOfPlan(this.plan);
  }

  /** Whether a join fans out from the base (a one-to-many step), so its rows would repeat. */
  needsDistinct(): boolean {
    return this.requiredTables().some(
      (table) => table !== this.plan.base && this.catalogue.joinPath(this.plan.base, table)?.some((step) => !step.forward),
    );
  }

  /** Tables the base points at (many-to-one) that are not shown yet: where a missing date may be. */
  forwardUnshown(): string[] {
    const { catalogue, plan } = this;
    return unique(
      catalogue.edges.filter((edge) => edge.fromTable === plan.base && !catalogue.table(edge.toTable)).map((edge) => edge.toTable),
    );
  }

  /**
   * The date column a period applies to: the metric's, else the best of the base and the tables it points
   * at, preferring one the question names, a required one, one with "date" in its name, not a birth date.
   */
  dateColumn(): CatalogueColumn | null {
    const { catalogue, plan, words } = this;
    const periodStart = this.input.dateRange ? Math.min(...this.input.dateRange.wordIndices) : null;
    const metricTime = this.activeMetric?.timeColumn;
    if (metricTime) {
      const table = metricTime.table.includes('.')
        ? catalogue.table(metricTime.table)
        : catalogue.tables.find((candidate) => candidate.name === metricTime.table);
      const column = table?.columns.find((candidate) => candidate.name === metricTime.column);
      if (column) return column;
    }
    // "patients prescribed Ibuprofen in 2024": a participle right before the period that names rows of another table
    // (`prescriptions`) dates those rows: their own date, else that of the table they point at (the appointment's).
    if (periodStart !== null) {
      const verb = words
        .slice(Math.max(0, periodStart - 4), periodStart)
        .reverse()
        .find((word) => isParticiple(word) && word.root.length >= 4);
      // Only a table the plan reads or joins through, and not when the base has a date named after the verb ("scheduled":
      // `scheduled_for`).
      const read = new Set(tablesOfPlan(plan));
      for (const table of [...read])
        for (const step of catalogue.joinPath(plan.base, table) ?? []) read.add(step.edge.fromTable).add(step.edge.toTable);
      const ownDate = (catalogue.table(plan.base)?.columns ?? []).some(
        (column) =>
          (column.family === 'date' || column.family === 'timestamp') &&
          column.nameWords.some((nameWord) => verb !== undefined && nameWord.root === verb.root),
      );
      // So does a glossary term of rows of another table right before it ("patients seen in Pediatrics in 2024": seen at
      // appointments, which the period dates).
      const termTable = this.mentions.find(
        (mention) =>
          mention.kind === 'termCondition' &&
          mention.end <= periodStart &&
          periodStart - mention.end <= 3 &&
          mention.table.qualifiedName !== plan.base &&
          read.has(mention.table.qualifiedName),
      );
      const byVerb =
        verb && !ownDate
          ? catalogue.tables.filter(
              (table) => table.qualifiedName !== plan.base && read.has(table.qualifiedName) && verbNamesTable(verb.root, table.name),
            )
          : [];
      const named = byVerb.length > 0 ? byVerb : termTable?.kind === 'termCondition' ? [termTable.table] : [];
      if (named.length === 1) {
        const dates = catalogue.rowDates(named[0].qualifiedName);
        if (dates.length === 1) return dates[0];
      }
    }
    // The nearest tables first: the period of "revenue from corporate customers last year" is the orders',
    // one step from the order lines, not the customers' sign-up two steps away.
    const steps = (name: string) => catalogue.joinPath(plan.base, name)?.length ?? Infinity;
    const tables = [
      plan.base,
      ...catalogue.tables
        .map((table) => table.qualifiedName)
        .filter((name) => name !== plan.base && (catalogue.joinPath(plan.base, name)?.every((step) => step.forward) ?? false))
        .sort((left, right) => steps(left) - steps(right)),
    ];
    let best: { column: CatalogueColumn; score: number } | null = null;
    for (const name of tables) {
      const table = catalogue.table(name);
      if (!table) continue;
      for (const column of table.columns) {
        if (column.family !== 'date' && column.family !== 'timestamp') continue;
        // Tables as many steps away stand equal, whichever was shown first.
        let score = -(name === plan.base ? 0 : steps(name)) * 4;
        const naming = words.filter((word) =>
          column.nameWords.some(
            (nameWord) =>
              !['date', 'at', 'on'].includes(nameWord.lower) &&
              (sameWord(word, nameWord) ||
                dateVerbs[word.lower] === nameWord.lower ||
                (words[word.index + 1] !== undefined && `${word.root}${words[word.index + 1].lower}` === nameWord.lower)),
          ),
        );
        if (naming.length > 0) score += 5;
        // "customers who signed up in 2024 and placed an order": the column named right before the period is its.
        if (periodStart !== null && naming.some((word) => word.index < periodStart && periodStart - word.index <= 3)) score += 10;
        if (!column.nullable) score += 1;
        if (/date/.test(column.name)) score += 1;
        if (/birth/.test(column.name)) score -= 3;
        if (/^(created|updated|modified)/.test(column.name)) score -= 1;
        if (!best || score > best.score) best = { column, score };
      }
    }
    if (!best) return null;
    // "products sold in 2024": a date that records when the rows were added (`created_at`, "added to the catalogue") is not
    // the date of the event a participle right before the period names, unless it names that column.
    // (Verbs of a transaction only: "registered", "joined", "signed up" are what a row-keeping date records.)
    const verbBefore =
      periodStart === null
        ? undefined
        : words.slice(Math.max(0, periodStart - 3), periodStart).find((word) => isParticiple(word) && transactionVerbs.has(word.lower));
    const recordKeeping = /^(created|added|inserted|updated|modified)/.test(best.column.name);
    if (verbBefore && recordKeeping) {
      const described = wordsOf(`${best.column.name} ${best.column.comment}`);
      if (!described.some((word) => word.root === verbBefore.root || word.stem === verbBefore.stem))
        throw new CannotPlan(
          `The period follows "${verbBefore.text}", and ${best.column.table.name}.${best.column.name} records when the rows were added, not that.`,
        );
    }
    // "revenue from corporate customers last year" over the order lines: the orders between them, not seen
    // yet, may hold the period's date; the customers' sign-up date further on would be a guess.
    const between = (catalogue.joinPath(plan.base, best.column.table.qualifiedName) ?? [])
      .slice(0, -1)
      .map((step) => (step.forward ? step.edge.toTable : step.edge.fromTable))
      .filter((name) => !catalogue.table(name));
    if (between.length > 0) {
      const unseen = between.filter((name) => !this.input.requested.includes(name));
      if (unseen.length > 0 && this.input.showsLeft > 0) throw new PlanningGap(unseen, 'A table between may hold the period.');
      throw new CannotPlan(`The period may belong to ${between.join(', ')}, which I have not seen.`);
    }
    return best.column;
  }
}

/** Verbs of a transaction, whose date a row-keeping column (`created_at`) does not record. */
const transactionVerbs = new Set([
  'sold',
  'bought',
  'purchased',
  'ordered',
  'shipped',
  'delivered',
  'paid',
  'returned',
  'refunded',
  'booked',
  'prescribed',
  'visited',
  'reviewed',
  'rated',
  'used',
  'viewed',
  'borrowed',
  'rented',
  'cancelled',
  'canceled',
]);

/** Verbs whose date column is named by a noun: "born" for `birth_date`. */
export const dateVerbs: Readonly<Record<string, string>> = { born: 'birth', died: 'death', founded: 'founding' };

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
