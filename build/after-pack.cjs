// Flips Electron's fuses on the packaged binary (DESIGN.md §6): no running as plain Node, no
// NODE_OPTIONS, no inspector flags, app code only from the integrity-checked asar.
const fs = require('node:fs');
const path = require('node:path');

const EXECUTABLE = { darwin: (ctx) => `${ctx.packager.appInfo.productFilename}.app`, win32: (ctx) => `${ctx.packager.appInfo.productFilename}.exe`, linux: (ctx) => ctx.packager.executableName };

module.exports = async function afterPack(context) {
  const platform = context.electronPlatformName;
  const binary = path.join(context.appOutDir, EXECUTABLE[platform](context));
  // The packaging check runs with a stand-in Electron (a shell script); it has no fuses to flip.
  if (platform === 'linux' && fs.readFileSync(binary).subarray(0, 2).toString() === '#!') {
    console.log('  • stand-in Electron: fuses not flipped (packaging check only)');
    return;
  }
  const { flipFuses, FuseVersion, FuseV1Options } = await import('@electron/fuses');
  await flipFuses(binary, {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: platform === 'darwin' && context.arch === 3 /* arm64 */,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
};
