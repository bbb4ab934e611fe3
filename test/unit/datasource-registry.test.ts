import { describe, expect, it } from 'vitest';
import { DatasourceRegistry, datasourceConfigSchema } from '../../src/datasource/index.ts';

describe('the datasource registry', () => {
  it('refuses to open a datasource again once it was closed (late work after shutdown cannot leak a connection)', async () => {
    const registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: 'postgres://nobody@127.0.0.1:1/shop' })], {
      introspectionTtlMs: 1000,
      sampleBudgetMs: 0,
    });
    await registry.closeAll();
    await expect(registry.get('shop')).rejects.toMatchObject({
      code: 'datasource_unavailable',
      message: 'The datasource "shop" is closed: its registry was shut down.',
    });
    await expect(registry.schema('shop')).rejects.toMatchObject({ code: 'datasource_unavailable' });
    expect(() => registry.get('warehouse')).toThrow(/Unknown datasource "warehouse"/);
  });

  it('warms a datasource without waiting and without throwing: it starts opening, and an unknown one is ignored', async () => {
    const registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: 'postgres://nobody@127.0.0.1:1/shop' })], {
      introspectionTtlMs: 1000,
      sampleBudgetMs: 0,
    });
    expect(registry.openState('shop').state).toBe('closed');
    expect(() => registry.warm('shop')).not.toThrow();
    expect(() => registry.loadGuard('shop')).not.toThrow();
    expect(() => registry.warm('warehouse')).not.toThrow();
    expect(() => registry.loadGuard('warehouse')).not.toThrow();
    expect(registry.openState('shop').state).toBe('opening');
    // Nothing listens on port 1: the open fails, and the failure waits for whoever uses the datasource.
    await expect.poll(() => registry.openState('shop').state, { timeout: 20_000 }).toBe('failed');
    await expect(registry.get('shop')).rejects.toMatchObject({ code: 'datasource_unavailable' });
    await registry.closeAll();
  });
});
