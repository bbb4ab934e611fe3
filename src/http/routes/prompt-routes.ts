import type { Express, Request } from 'express';
import type { App } from '../../app.ts';
import { InvalidInputError } from '../../errors/index.ts';
import { assertPromptName, diffLines, type PromptSelector } from '../../prompts/index.ts';
import * as api from '../api-schemas.ts';
import { renderPrompt } from '../../prompt-rendering.ts';
import { parseBody, queryParameter, type Access } from '../request-helpers.ts';

/** `2`, `v2` or a label, as a selector. */
function selectorOf(reference: string, field: string): PromptSelector {
  const match = /^v?(\d{1,9})$/.exec(reference);
  if (match) return { version: Number(match[1]) };
  if (!/^[a-z][a-z0-9_-]{0,35}$/.test(reference))
    throw new InvalidInputError(`"${field}" must be a version (2 or v2) or a label (lower-case letters, digits, _ and -).`, { field });
  return { label: reference };
}

/**
 * A prompt's name and what follows it in the path. Names contain `/` (`agent/db_agent`): both the plain
 * form (`/v1/prompts/agent/db_agent/versions/2`) and the encoded one (`/v1/prompts/agent%2Fdb_agent/…`) work,
 * since the router decodes each segment before they are joined.
 */
function splitPromptPath(request: Request, suffixes: readonly string[][]): { name: string; rest: string[] } {
  const segments = ((request.params as { path?: string[] }).path ?? []).join('/').split('/').filter(Boolean);
  for (const suffix of suffixes) {
    if (segments.length <= suffix.length) continue;
    const tail = segments.slice(segments.length - suffix.length);
    if (suffix.every((part, index) => part === '*' || part === tail[index])) {
      const name = segments.slice(0, segments.length - suffix.length).join('/');
      assertPromptName(name);
      return { name, rest: tail };
    }
  }
  const name = segments.join('/');
  assertPromptName(name);
  return { name, rest: [] };
}

/**
 * Prompts over HTTP, thin over the prompt store: reading needs the read scope; writing (a version, a label move, a rollback, an invalidation) needs the admin scope.
 */
export function promptRoutes(http: Express, app: App, access: Access): void {
  const store = () => app.prompts.store;

  http.get('/v1/prompts', async (request, response) => {
    access.require(request, 'read');
    response.json(api.documented(api.promptListSchema, { store: store().kind, prompts: await store().list() }));
  });

  http.get('/v1/prompts/*path', async (request, response) => {
    access.require(request, 'read');
    const { name, rest } = splitPromptPath(request, [['versions', '*'], ['diff'], ['render']]);
    if (rest[0] === 'versions') {
      response.json(api.documented(api.promptVersionSchema, await store().get(name, selectorOf(rest[1], 'version'))));
      return;
    }
    if (rest[0] === 'diff') {
      const [a, b] = ['a', 'b'].map((field) => {
        const value = queryParameter(request, field);
        if (!value) throw new InvalidInputError(`The query parameter "${field}" (a version or a label) is required.`, { field });
        return selectorOf(value, field);
      });
      const [left, right] = [await store().get(name, a), await store().get(name, b)];
      response.json(
        api.documented(api.promptDiffSchema, {
          name,
          a: { version: left.version, labels: left.labels },
          b: { version: right.version, labels: right.labels },
          config: diffLines(JSON.stringify(left.config, null, 2), JSON.stringify(right.config, null, 2)),
          template: diffLines(left.template, right.template),
        }),
      );
      return;
    }
    if (rest[0] === 'render') {
      const datasource = queryParameter(request, 'datasource');
      if (!datasource) throw new InvalidInputError('The query parameter "datasource" is required.', { field: 'datasource' });
      const label = queryParameter(request, 'label');
      const version = queryParameter(request, 'version');
      if (label && version) throw new InvalidInputError('Give "label" or "version", not both.', { field: 'label' });
      const rendered = await renderPrompt(app, {
        name,
        datasource,
        selector: version ? selectorOf(version, 'version') : label ? selectorOf(label, 'label') : {},
        userId: queryParameter(request, 'user'),
        question: queryParameter(request, 'question'),
      });
      response.json(
        api.documented(api.renderedPromptSchema, {
          name,
          version: rendered.version.version,
          routing: rendered.routing,
          datasource: rendered.datasource,
          tokenCount: rendered.compiled.tokenCount,
          text: rendered.compiled.text,
        }),
      );
      return;
    }
    const [versions, summaries, labelHistory] = await Promise.all([store().versions(name), store().list(), store().labelHistory(name)]);
    response.json(
      api.documented(api.promptDetailSchema, {
        name,
        labels: summaries.find((summary) => summary.name === name)?.labels ?? {},
        labelHistory,
        versions: versions.map(({ template: _template, ...version }) => version),
      }),
    );
  });

  http.post('/v1/prompts/*path', async (request, response) => {
    access.requireAdmin(request);
    const { name, rest } = splitPromptPath(request, [['versions'], ['labels', '*', 'rollback'], ['invalidate']]);
    if (rest[0] === 'versions') {
      const body = parseBody(api.newPromptVersionSchema, request.body, '{"template": "…", "config"?: {…}, "commitMessage": "…"}');
      const version = await store().createVersion(name, body.template, body.config ?? {}, body.commitMessage);
      response.status(201).json(api.documented(api.promptVersionSchema, version));
      return;
    }
    if (rest[0] === 'labels') {
      const version = await store().rollback(name, rest[1]);
      store().invalidate(name);
      response.json(api.documented(api.labelMovedSchema, { name, label: rest[1], version }));
      return;
    }
    if (rest[0] === 'invalidate') {
      store().invalidate(name);
      response.json(api.documented(api.promptInvalidatedSchema, { invalidated: name, store: store().kind }));
      return;
    }
    throw new InvalidInputError('POST under /v1/prompts/:name takes /versions, /labels/:label/rollback or /invalidate.', { field: 'path' });
  });

  http.put('/v1/prompts/*path', async (request, response) => {
    access.requireAdmin(request);
    const { name, rest } = splitPromptPath(request, [['labels', '*']]);
    if (rest[0] !== 'labels')
      throw new InvalidInputError('PUT under /v1/prompts/:name takes /labels/:label {"version": n}.', { field: 'path' });
    const body = parseBody(api.labelMoveSchema, request.body, '{"version": 3}');
    await store().setLabel(name, rest[1], body.version);
    store().invalidate(name);
    response.json(api.documented(api.labelMovedSchema, { name, label: rest[1], version: body.version }));
  });
}
