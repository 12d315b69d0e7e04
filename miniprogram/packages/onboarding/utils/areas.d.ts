// The division table scripts/area-data.js writes into areas.js at build time
// (from @vant/area-data, GB/T 2260 codes). Committed so that tsc type-checks
// without the generated file.

/** The package and version the table comes from. */
export declare const AREA_SOURCE: string;
/** "110000北京市|110100北京市|110101东城区|…": a 6-digit code then the name, sorted by code. */
export declare const AREAS: string;
