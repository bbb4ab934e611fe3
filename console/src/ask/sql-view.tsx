import { useMemo, useState } from 'preact/hooks';
import { formatDialect, mysql, postgresql } from 'sql-formatter';
import { highlightSql } from './sql-highlight.ts';

/** The SQL formatted for its dialect (sql-formatter, two dialects only), highlighted, with a copy button. */
export function SqlView({ sql, dialect }: { sql: string; dialect: 'postgres' | 'mysql' }) {
  const formatted = useMemo(() => {
    try {
      return formatDialect(sql, { dialect: dialect === 'mysql' ? mysql : postgresql, keywordCase: 'upper', tabWidth: 2 });
    } catch {
      return sql; // A statement the formatter cannot parse is shown as written.
    }
  }, [sql, dialect]);
  const tokens = useMemo(() => highlightSql(formatted), [formatted]);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(formatted);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('no'), 2000);
  };
  return (
    <div class="sql-view">
      <button type="button" class="copy-button" onClick={copy}>
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy SQL'}
      </button>
      <pre class="sql" data-testid="sql">
        {tokens.map((token, index) =>
          token.kind === 'plain' ? (
            token.text
          ) : (
            <span key={index} class={`sql-${token.kind}`}>
              {token.text}
            </span>
          ),
        )}
      </pre>
    </div>
  );
}
