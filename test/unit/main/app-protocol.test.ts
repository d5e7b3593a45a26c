import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveRendererRequest } from '../../../electron/main/app-protocol.ts';
import { resolveStaticPath } from '../../../electron/border/static-files.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'dd-renderer-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>DeltaDesk</title>');
writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(path.join(os.tmpdir(), 'dd-secret.txt'), 'secret');

describe('app:// protocol', () => {
  it('serves the renderer with the strict CSP', async () => {
    const res = await serveRendererRequest(new Request('app://deltadesk/index.html'), root);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const js = await serveRendererRequest(new Request('app://deltadesk/assets/app.js'), root);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses paths outside the renderer and other hosts', async () => {
    for (const url of ['app://deltadesk/..%2Fdd-secret.txt', 'app://deltadesk/%2e%2e/dd-secret.txt', 'app://other/index.html', 'app://deltadesk/missing.js']) {
      expect((await serveRendererRequest(new Request(url), root)).status).toBe(404);
    }
    expect(resolveStaticPath(root, '/../../etc/passwd')).toBeNull();
    expect(resolveStaticPath(root, '/a%00b')).toBeNull();
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull();
  });
});
