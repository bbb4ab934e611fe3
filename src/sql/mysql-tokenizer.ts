/** A lexical token of MySQL text, with comments and whitespace already dropped. */
export interface MysqlToken {
  type: 'word' | 'quoted-identifier' | 'string' | 'number' | 'symbol' | 'separator';
  /** Words are upper-cased; quoted identifiers are unquoted; strings keep their raw text. */
  value: string;
  start: number;
  end: number;
}

export interface MysqlTokens {
  tokens: MysqlToken[];
  /** A `/*! … *\/` or `/*M! … *\/` comment, which MySQL executes as SQL. */
  executableComment: boolean;
  /** A `/*+ … *\/` optimizer hint, which can override the statement timeout on MySQL 8. */
  optimizerHint: boolean;
  /**
   * A reason the text is ambiguous between this lexer, node-sql-parser and the server, which the guard
   * refuses rather than guess: non-ASCII whitespace outside strings, or `--` not followed by a space.
   */
  ambiguity: string | null;
  /** A string, quoted identifier or comment that never closes. */
  unterminated: string | null;
}

const isWordCharacter = (character: string) => /[\p{L}\p{N}_$]/u.test(character);
// MySQL's lexer knows only ASCII whitespace; JavaScript's \s also matches U+00A0, U+3000, U+FEFF, …
const isAsciiSpace = (character: string | undefined) => character !== undefined && /[ \t\n\r\f\v]/.test(character);
// After `--`, MySQL wants a space or a control character for a comment.
const endsDoubleDash = (character: string | undefined) => character === undefined || /[\x00-\x20]/.test(character);

/**
 * Splits MySQL text into tokens the way the server's lexer does for the parts that matter to safety:
 * strings ('…' and "…" with backslash and doubled-quote escapes), backtick identifiers, the three comment
 * forms (`-- ` needs a following space or control character, `#`, and C-style), and executable comments.
 * A parser can misread an executable comment as a plain comment; this lexer is the guard's second opinion.
 */
export function tokenizeMysql(text: string): MysqlTokens {
  const tokens: MysqlToken[] = [];
  let executableComment = false;
  let optimizerHint = false;
  let ambiguity: string | null = null;
  let unterminated: string | null = null;
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    const next = text[index + 1] ?? '';
    if (isAsciiSpace(character)) {
      index += 1;
    } else if (/\s/u.test(character)) {
      ambiguity ??= `a non-ASCII space character (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) outside a string`;
      index += 1;
    } else if (character === '#' || (character === '-' && next === '-' && endsDoubleDash(text[index + 2]))) {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end + 1;
    } else if (character === '-' && next === '-') {
      ambiguity ??= '`--` not followed by a space (MySQL reads two minus signs, parsers a comment); write `- -` or `-- `';
      tokens.push({ type: 'symbol', value: '-', start: index, end: index + 1 });
      index += 1;
    } else if (character === '/' && next === '*') {
      if (text[index + 2] === '!' || (text[index + 2] === 'M' && text[index + 3] === '!')) executableComment = true;
      if (text[index + 2] === '+') optimizerHint = true;
      const end = text.indexOf('*/', index + 2);
      if (end === -1) {
        unterminated = 'comment';
        index = text.length;
      } else index = end + 2;
    } else if (character === "'" || character === '"' || character === '`') {
      const start = index;
      index += 1;
      let closed = false;
      while (index < text.length) {
        if (text[index] === '\\' && character !== '`') index += 2;
        else if (text[index] === character && text[index + 1] === character) index += 2;
        else if (text[index] === character) {
          index += 1;
          closed = true;
          break;
        } else index += 1;
      }
      if (!closed) unterminated = character === '`' ? 'quoted identifier' : 'string';
      const raw = text.slice(start, Math.min(index, text.length));
      tokens.push(
        character === '`'
          ? { type: 'quoted-identifier', value: raw.slice(1, -1).replaceAll('``', '`'), start, end: index }
          : { type: 'string', value: raw, start, end: index },
      );
    } else if (character === ';') {
      tokens.push({ type: 'separator', value: ';', start: index, end: index + 1 });
      index += 1;
    } else if (/[0-9]/.test(character) || (character === '.' && /[0-9]/.test(next))) {
      const start = index;
      while (index < text.length && /[0-9a-zA-Z_.$]/.test(text[index])) index += 1;
      const raw = text.slice(start, index);
      tokens.push({ type: /^[0-9]+(\.[0-9]*)?([eE][0-9]+)?$/.test(raw) ? 'number' : 'word', value: raw.toUpperCase(), start, end: index });
    } else if (isWordCharacter(character)) {
      const start = index;
      while (index < text.length && isWordCharacter(text[index])) index += 1;
      tokens.push({ type: 'word', value: text.slice(start, index).toUpperCase(), start, end: index });
    } else {
      tokens.push({ type: 'symbol', value: character, start: index, end: index + 1 });
      index += 1;
    }
  }
  return { tokens, executableComment, optimizerHint, ambiguity, unterminated };
}
