// A cart travels between pages in the URL: "id:qty,id:qty". Only ids and
// quantities: the server prices it.
import type { CartLine } from '../../../../typings/checkout';
import { queryValue } from './query';

let orderCompleted = false;

/** An order was paid: the products page still holding that cart clears it when shown. */
export function markOrderCompleted(): void {
  orderCompleted = true;
}

/** True once after markOrderCompleted. */
export function takeOrderCompleted(): boolean {
  const was = orderCompleted;
  orderCompleted = false;
  return was;
}

export function formatCart(lines: CartLine[]): string {
  return lines
    .filter((l) => l.quantity > 0)
    .map((l) => `${l.productId}:${l.quantity}`)
    .join(',');
}

/** Lines from the URL; anything malformed is dropped (the server checks the rest). */
export function parseCart(text: string | undefined): CartLine[] {
  if (!text) return [];
  const lines: CartLine[] = [];
  for (const part of queryValue(text).split(',')) {
    const at = part.lastIndexOf(':');
    const productId = part.slice(0, at);
    const quantity = Number(part.slice(at + 1));
    if (at > 0 && Number.isInteger(quantity) && quantity > 0 && !lines.some((l) => l.productId === productId))
      lines.push({ productId, quantity });
  }
  return lines;
}
