/**
 * The SQL guard's rules (`sql/`, with the parsers), loaded on first use and kept. Each dialect's `guard`
 * used to `import()` them per statement: cheap once Node has the module, but every call still went through
 * the module loader (and through a loader's hooks where one is registered, as under tsx or vitest).
 */
let rules: Promise<typeof import('../sql/index.ts')> | null = null;

export function sqlRules(): Promise<typeof import('../sql/index.ts')> {
  if (!rules) {
    const loading = import('../sql/index.ts');
    // A failed load is not kept: the next statement tries again.
    loading.catch(() => {
      if (rules === loading) rules = null;
    });
    rules = loading;
  }
  return rules;
}
