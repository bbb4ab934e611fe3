import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import of a module: what it names, and whether it loads code at run time. */
export interface ImportEdge {
  /** The importing file, relative to the repository (`src/agent/db-agent.ts`). */
  from: string;
  /** A file of the repository (relative, like `from`), or a package name (`kysely`, `node:fs`). */
  to: string;
  /** `import type`, `export type`, or every named binding marked `type`: erased by the compiler. */
  typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not when the module loads. */
  dynamic: boolean;
}

/** Every `.ts` file under `directory` (relative to `root`), tests excluded. */
export function sourceFiles(root: string, directory: string): string[] {
  const entries = readdirSync(path.join(root, directory), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The imports of each file, parsed with the TypeScript compiler (static, re-exports and `import()`). */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (specifier: string, typeOnly: boolean, dynamic: boolean) =>
      edges.push({ from: file, to: resolveSpecifier(root, file, specifier), typeOnly, dynamic });
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const bindings = clause?.namedBindings;
        const allNamedAreTypes =
          !!bindings &&
          ts.isNamedImports(bindings) &&
          bindings.elements.length > 0 &&
          bindings.elements.every((element) => element.isTypeOnly);
        const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && allNamedAreTypes));
        add(node.moduleSpecifier.text, typeOnly, false);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.exportClause;
        const allNamedAreTypes =
          !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((element) => element.isTypeOnly);
        add(node.moduleSpecifier.text, node.isTypeOnly || allNamedAreTypes, false);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, false, true);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        add(node.argument.literal.text, true, false);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** A relative specifier as a repository path; a package specifier as its package name. */
function resolveSpecifier(root: string, from: string, specifier: string): string {
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  }
  return path.relative(root, path.resolve(root, path.dirname(from), specifier));
}

/** The cycles among the given edges (each as its files in order, first repeated at the end), one per strongly connected group. */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of next.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) walk(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...next.keys()].sort()) if (!state.has(file)) walk(file);
  return cycles;
}

/** The files and packages a file loads when it is imported: static value imports, followed transitively. */
export function loadedBy(edges: readonly ImportEdge[], start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop()!;
    for (const edge of edges) {
      if (edge.from !== file || edge.typeOnly || edge.dynamic || seen.has(edge.to)) continue;
      seen.add(edge.to);
      pending.push(edge.to);
    }
  }
  return seen;
}
