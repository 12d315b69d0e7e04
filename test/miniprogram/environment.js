// The test environment for mini program tests: jsdom (the simulator renders
// into it) plus the Node globals the real backend needs when page tests run
// it in process. jsdom replaces or leaves out these; Node's own are copied in
// from the outer context (fetch needs Node's AbortSignal, the WeChat Pay
// sandbox unref()s its Node timers, busboy needs TextDecoder at load).
const { TestEnvironment } = require('jest-environment-jsdom');

const NODE_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'AbortController',
  'AbortSignal',
  'TextEncoder',
  'TextDecoder',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'Blob',
  'structuredClone',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
];

class MiniprogramEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of NODE_GLOBALS) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
  }
}

module.exports = MiniprogramEnvironment;
