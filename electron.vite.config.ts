import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/*
 * Three builds: Node-side entries (Electron main, the engine for the utility process and for a
 * worker thread, the simulator's worker, the headless host), the sandboxed preload (CommonJS, as
 * sandboxed preloads require), and the renderer. No source maps ship in the app.
 */
export default defineConfig({
  main: {
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
