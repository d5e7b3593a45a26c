/*
 * The release this build is, fixed at build time from package.json (electron-vite's `define`).
 * It must not come from `npm_package_version`: a packaged app, or `node out/main/headless.js`,
 * starts without npm and would report a version that was never released.
 */
declare const __DELTADESK_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __DELTADESK_VERSION__ === 'string' ? __DELTADESK_VERSION__ : 'unbuilt';
