import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticsQuery, exposeDiagnostics, setDiagnostics } from '../../renderer/app/diagnostics.js';
import { paintI420Wanted } from '../../renderer/wall/compositor-choice.js';

const g = globalThis as unknown as { window?: Record<string, unknown>; location?: { search: string } };

describe('the diagnostics switch (renderer side)', () => {
  afterEach(() => { setDiagnostics(false); delete g.window; delete g.location; });

  it('publishes no window.__kuzet* hook and ignores the URL switches while off', () => {
    g.window = {};
    g.location = { search: '?paint=browser&decode=host' };
    exposeDiagnostics('__kuzet', { ready: true });
    expect(g.window.__kuzet).toBeUndefined();
    expect(diagnosticsQuery()).toBe('');
    expect(paintI420Wanted(diagnosticsQuery())).toBe(true);
  });

  it('publishes them and honours ?paint=browser once the host says diagnostics is on', () => {
    g.window = {};
    g.location = { search: '?paint=browser' };
    setDiagnostics(true);
    const hook = { ready: true };
    exposeDiagnostics('__kuzet', hook);
    expect(g.window.__kuzet).toBe(hook);
    expect(paintI420Wanted(diagnosticsQuery())).toBe(false);
  });
});
