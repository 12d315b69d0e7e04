// Where the app in local mode finds the gateway `npm start` runs. This
// committed file is the default (npm start's default PORT, 8787): what tsc,
// the tests and a fresh clone see. `npm run build` (scripts/build.js) then
// replaces its compiled local-gateway.js, the file DevTools runs (git-ignored
// like every .js tsc emits here), with the address for PORT, so
// `PORT=9000 npm start` and the app in DevTools agree without a hand edit.
// A plain `tsc -p miniprogram` (or tsc -w) puts the default back: run
// `npm run build` after it when PORT is not 8787.
export const LOCAL_GATEWAY = 'http://127.0.0.1:8787';
