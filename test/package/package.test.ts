import { describe, expect, it } from 'vitest';
import { packageAndCheck, problemsIn } from '../../build/package-check.ts';

describe('packaged app', () => {
  it('holds main, preload, renderer and runtime dependencies, and no tests, source maps or dev-only packages', () => {
    const { files, problems } = packageAndCheck();
    expect(problems).toEqual([]);
    expect(files.length).toBeGreaterThan(20);
  });

  it('the check itself catches what must not ship', () => {
    const problems = problemsIn(['/package.json', '/out/main/index.js.map', '/test/e2e/x.test.ts', '/node_modules/react/package.json', '/electron/main/index.ts']);
    expect(problems).toEqual(
      expect.arrayContaining([
        'missing /out/main/index.js',
        'missing runtime dependency zod',
        'dev-only package shipped: react',
        'source map shipped: /out/main/index.js.map',
        'source or test file shipped: /test/e2e/x.test.ts',
        'source or test file shipped: /electron/main/index.ts',
      ]),
    );
  });
});
