// npm run upload  [-- --dry-run] [--version <x.y.z>] [--desc <text>] [--robot <1-30>]
// npm run preview [-- --dry-run] [--version <x.y.z>] [--desc <text>] [--robot <1-30>] [--qrcode <file.png>] [--page <path>]
//
// Uploads the mini program as a development version (upload), or builds a
// preview QR code (preview), with miniprogram-ci (2.1.x), as DevTools'
// upload button would:
//   - appid from project.config.json (not touristappid);
//   - the code upload key from WX_PRIVATE_KEY_PATH (mp.weixin.qq.com >
//     Development > Development settings > Mini program code upload: generate
//     the key, and list this machine's IP or turn the IP whitelist off);
//   - version and description from package.json, or --version / --desc;
//   - the app must be in cloud mode with its CloudBase environment set
//     (miniprogram/config.ts): a local-mode app would call 127.0.0.1 on
//     every phone. Upload refuses it; preview warns.
// A real run builds first (npm run build), checks the compiled package with
// WeChat's compiler and size limits (scripts/wechat-compile.js), then sends.
//
// --dry-run sends nothing: it compiles with getCompiledResult and checks the
// package sizes (the same check as `npm run check:wechat`, reusing its last
// result when nothing it reads has changed), and reports what a real run
// still needs (appid, key, cloud mode). It fails only on what is broken: a
// package over the limits or refused by the compiler, a WX_PRIVATE_KEY_PATH
// that is set but unreadable, a bad --version.
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const wechat = require('./wechat-compile');

const ROOT = path.join(__dirname, '..');
const PLACEHOLDER_ENV = 'your-cloudbase-env-id';
const USAGE =
  'usage: npm run upload|preview [-- --dry-run] [--version <x.y.z>] [--desc <text>] [--robot <1-30>] [--qrcode <file.png>] [--page <path>]';

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const options = { command, dryRun: false };
  const problems = [];
  if (command !== 'upload' && command !== 'preview') problems.push(`the first argument must be upload or preview`);
  const valued = {
    '--version': 'version',
    '--desc': 'desc',
    '--robot': 'robot',
    '--qrcode': 'qrcode',
    '--page': 'page',
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--dry-run') options.dryRun = true;
    else if (valued[arg] && rest[i + 1] !== undefined) options[valued[arg]] = rest[++i];
    else problems.push(`unknown option ${arg}`);
  }
  if (command !== 'preview' && (options.qrcode || options.page)) problems.push('--qrcode and --page are for preview');
  return { options, problems };
}

/** What a real upload needs and whether each is there: { problems (fail a real run), broken (fail even a dry run), lines }. */
function readiness(options, env, root) {
  const problems = [];
  const broken = [];
  const lines = [];
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const projectConfig = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'));

  const appid = projectConfig.appid;
  lines.push(`  appid        ${appid} (project.config.json)`);
  if (!/^wx[0-9a-f]{16}$/i.test(String(appid)))
    problems.push(
      `project.config.json's appid is ${JSON.stringify(appid)}: set your mini program's appid (mp.weixin.qq.com > Development > Development settings)`,
    );

  const keyPath = env.WX_PRIVATE_KEY_PATH;
  if (!keyPath) {
    problems.push(
      'WX_PRIVATE_KEY_PATH is not set: the path of the code upload key (private.<appid>.key, from mp.weixin.qq.com > Development > Development settings > Mini program code upload)',
    );
    lines.push('  key          WX_PRIVATE_KEY_PATH not set');
  } else {
    try {
      crypto.createPrivateKey(fs.readFileSync(keyPath));
      lines.push(`  key          ${keyPath}`);
    } catch (err) {
      broken.push(`WX_PRIVATE_KEY_PATH=${keyPath} is not a readable private key (${err.code || err.message})`);
    }
  }

  const version = options.version ?? pkg.version;
  const desc = options.desc ?? pkg.description ?? '';
  if (!/^[0-9]+\.[0-9]+\.[0-9]+([-+.][0-9A-Za-z.-]+)?$/.test(String(version)))
    broken.push(`version ${JSON.stringify(version)} is not a version such as 1.2.3`);
  lines.push(`  version      ${version}${options.version ? '' : ' (package.json)'}`);
  lines.push(`  description  ${desc}${options.desc ? '' : ' (package.json)'}`);
  const robot = options.robot === undefined ? 1 : Number(options.robot);
  if (!Number.isInteger(robot) || robot < 1 || robot > 30) broken.push(`--robot must be 1 to 30, is ${options.robot}`);

  // The compiled config the package carries (npm run build emits it from config.ts).
  const compiled = path.join(root, 'miniprogram', 'config.js');
  let mode = 'unknown';
  let cloudEnv = '';
  if (!fs.existsSync(compiled)) {
    broken.push('miniprogram/config.js is missing: npm run build');
  } else {
    delete require.cache[require.resolve(compiled)];
    const { config } = require(compiled);
    mode = config.mode;
    cloudEnv = config.cloud?.env ?? '';
  }
  lines.push(
    `  app mode     ${mode}${mode === 'cloud' ? ` (CloudBase environment ${cloudEnv})` : ''} (miniprogram/config.ts)`,
  );
  const modeProblem =
    mode !== 'cloud'
      ? `the app is in ${mode} mode (miniprogram/config.ts): on a phone it would call 127.0.0.1; set mode 'cloud' and cloud.env, then npm run build`
      : !cloudEnv || cloudEnv === PLACEHOLDER_ENV
        ? 'miniprogram/config.ts: cloud.env is not set to your CloudBase environment id'
        : null;
  if (modeProblem && options.command === 'upload') problems.push(modeProblem);
  else if (modeProblem) lines.push(`  warning: ${modeProblem}`);
  return { problems, broken, lines, appid, keyPath, version, desc, robot };
}

/** The package check of scripts/wechat-compile.js; resolves to its problems (a refusal by the compiler is one). */
async function packageProblems(root, say) {
  try {
    const { problems } = await wechat.checkPackage({ root, reuse: true, say });
    return problems;
  } catch (err) {
    if (err?.chatter) say(err.chatter);
    return [`WeChat's compiler refused the app: ${err?.message || err}`];
  }
}

async function main(argv, env = process.env, say = (line) => console.log(line), root = ROOT) {
  const { options, problems: usage } = parseArgs(argv);
  if (usage.length) {
    say(`upload: ${usage.join('; ')}\n${USAGE}`);
    return 2;
  }
  const { command, dryRun } = options;
  say(`${command}${dryRun ? ', dry run (nothing sent)' : ''}: miniprogram-ci ${wechat.CI_VERSION}`);
  const ready = readiness(options, env, root);
  for (const line of ready.lines) say(line);

  if (dryRun) {
    const failed = [...ready.broken, ...(await packageProblems(root, say))];
    for (const p of ready.problems) say(`  a real ${command} needs: ${p}`);
    for (const p of failed) say(`  problem: ${p}`);
    say(
      failed.length
        ? `${command}, dry run: ${failed.length} problem(s)`
        : `${command}, dry run: the package compiles and fits${ready.problems.length ? `; a real ${command} needs the ${ready.problems.length} item(s) above` : ''}`,
    );
    return failed.length ? 1 : 0;
  }

  const blocking = [...ready.broken, ...ready.problems];
  if (blocking.length) {
    for (const p of blocking) say(`  problem: ${p}`);
    say(`${command}: nothing built or sent`);
    return 1;
  }
  say('> npm run build');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, env, stdio: 'inherit' });
  if (build.status !== 0) {
    say(`${command}: npm run build failed; nothing sent`);
    return 1;
  }
  // The build may have changed the compiled config: read it again.
  const after = readiness(options, env, root);
  const packaged = [...after.broken, ...after.problems, ...(await packageProblems(root, say))];
  if (packaged.length) {
    for (const p of packaged) say(`  problem: ${p}`);
    say(`${command}: nothing sent`);
    return 1;
  }

  const ci = require('miniprogram-ci');
  const project = wechat.project({ root, appid: ready.appid, privateKeyPath: ready.keyPath, offline: false });
  const common = {
    project,
    version: ready.version,
    desc: ready.desc,
    robot: ready.robot,
    setting: { useProjectConfig: true },
    onProgressUpdate: (task) => {
      if (typeof task === 'object' && task && task.status === 'done') say(`  ${task.message}`);
    },
  };
  try {
    const result =
      command === 'upload'
        ? await ci.upload(common)
        : await ci.preview({
            ...common,
            qrcodeFormat: options.qrcode ? 'image' : 'terminal',
            ...(options.qrcode ? { qrcodeOutputDest: path.resolve(options.qrcode) } : {}),
            ...(options.page ? { pagePath: options.page } : {}),
          });
    for (const p of result.subPackageInfo ?? []) say(`  ${String(p.name).padEnd(22)} ${(p.size / 1024).toFixed(1)} KB`);
    say(
      command === 'upload'
        ? `upload: version ${ready.version} uploaded by robot ${ready.robot}; submit it for review at mp.weixin.qq.com > Version management`
        : `preview: ${options.qrcode ? `QR code written to ${options.qrcode}` : 'scan the QR code above with WeChat'}`,
    );
    return 0;
  } catch (err) {
    say(`${command} failed: ${err?.message || err}`);
    say(
      '  (a refused IP means this machine is not on the code upload IP whitelist; a refused key means WX_PRIVATE_KEY_PATH is not the key generated for this appid)',
    );
    return 1;
  }
}

module.exports = { main, parseArgs, readiness };

// The compiler leaves a forked worker running: exit explicitly.
if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
