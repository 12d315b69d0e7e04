// What WeChat DevTools' "Build npm" does for our one mini program dependency:
// copy tdesign's miniprogram_dist into miniprogram/miniprogram_npm, so the
// simulator tests and DevTools resolve the same root-absolute component paths.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const from = path.join(root, 'node_modules/tdesign-miniprogram/miniprogram_dist');
const to = path.join(root, 'miniprogram/miniprogram_npm/tdesign-miniprogram');

if (!fs.existsSync(from)) {
  console.error(`copy-npm: ${from} is missing; run npm ci first`);
  process.exit(1);
}
fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.cpSync(from, to, { recursive: true });
console.log('copy-npm: tdesign-miniprogram -> miniprogram/miniprogram_npm');
