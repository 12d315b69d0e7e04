// @ts-check
// Jest setup for the screenshot scenes, after the simulator's own
// (test/miniprogram/setup.ts): record the WXSS the harness loader compiles.
require('./capture').recordWxss();
