import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/*
 * Three builds: Node-side entries (Electron main, the engine for the utility process and for a
 * worker thread, the simulator's worker, the headless host), the sandboxed preload (CommonJS, as
 * sandboxed preloads require), and the renderer. No source maps ship in the app.
 */
// The version shipped in every Node-side entry, so a host started without npm (as a packaged app
// starts) still knows which release it is.
const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };

export default defineConfig({
  main: {
    define: { __DELTADESK_VERSION__: JSON.stringify(version) },
    build: {
      outDir: 'out/main',
      sourcemap: false,
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          engine: resolve('electron/engine/utility-entry.ts'),
          'engine-worker': resolve('electron/engine/worker-entry.ts'),
          'sim-worker': resolve('electron/sim/worker-entry.ts'),
          headless: resolve('electron/headless/index.ts'),
          'passphrase-worker': resolve('electron/vault/passphrase-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      sourcemap: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      sourcemap: false,
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
