// The merchant's catalogue: what a buyer can order and at what price. Prices
// live only here, on the server; an order's amounts are always computed from
// this, never taken from the client.
import type { Doc } from '../ports/store';

export interface ProductDoc extends Doc {
  appid: string;
  name: string;
  /** Unit price in integer fen. */
  priceFen: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A single product costs at most ¥50,000; an order's total stays far below 2^53 fen. */
export const MAX_PRICE_FEN = 5_000_000;
export const NAME_MAX = 40;

/** What a fresh local stack sells, so the app has something to buy with no setup. */
export const SEED_PRODUCTS: ReadonlyArray<{ key: string; name: string; priceFen: number }> = [
  { key: 'green-tea', name: 'West Lake Longjing, 50 g', priceFen: 6800 },
  { key: 'oolong', name: 'Tieguanyin Oolong, 100 g', priceFen: 9900 },
  { key: 'black-tea', name: 'Keemun Black Tea, 100 g', priceFen: 5800 },
  { key: 'sample', name: 'Tasting sample', priceFen: 1 },
];

/** Seeded ids are fixed, so two processes seeding at once insert each product once. */
export function seedProductId(appid: string, key: string): string {
  return `P_${appid}_${key}`;
}
