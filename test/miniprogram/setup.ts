// Simulator setup for every mini program test file (jest setupFilesAfterEnv):
// what the mini program runtime provides and miniprogram-simulate does not.
import path from 'node:path';
import { cloud } from './support/cloud';
import { defineComponent, MINIPROGRAM_ROOT } from './support/loader';
import { pageStack } from './support/page-stack';
import { violationsIn } from './support/wx-limits';
import { installWxStubs, resetWxStubs } from './support/wx-stubs';

// Its side effects: global `wx` mocks, built-in tags (view, text...), Behavior().
require('miniprogram-simulate');

const g = globalThis as any;

// Our loader's Component() replaces simulate's (see support/loader.ts).
g.Component = defineComponent;

// Page(): the simulator has none; a Page is a Component whose functions are methods.
g.Page = (options: Record<string, any>) => {
  const methods: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'data' || key === 'options' || key === 'behaviors') continue;
    if (typeof value === 'function') methods[key] = value;
    else fields[key] = value;
  }
  defineComponent({
    data: options.data ?? {},
    behaviors: options.behaviors ?? [],
    methods,
    lifetimes: {
      created(this: Record<string, unknown>) {
        Object.assign(this, fields);
      },
    },
  });
};

// App() and getApp(): the real miniprogram/app.ts, launched on first use.
let app: Record<string, any> | null = null;
g.App = (options: Record<string, any>) => {
  app = options;
};
g.getApp = () => {
  if (!app) {
    require(path.join(MINIPROGRAM_ROOT, 'app'));
    if (!app) throw new Error('miniprogram/app.ts did not call App()');
    (app as Record<string, any>).onLaunch?.({ path: 'pages/home/index', query: {}, scene: 1001 });
  }
  return app;
};

g.getCurrentPages = () => pageStack.map((p) => p.instance);

g.wx.cloud = cloud.api();
installWxStubs(g.wx);

beforeEach(() => {
  resetWxStubs(g.wx);
});

// A text WeChat would refuse or cut fails the test that showed it (support/wx-limits.ts).
afterEach(() => {
  const violations = violationsIn(g.wx);
  if (violations.length) throw new Error(`WeChat's limits broken:\n${violations.join('\n')}`);
});
