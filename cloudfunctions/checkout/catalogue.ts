// The catalogue: buyers see what is for sale; the merchant admin adds
// products, renames, reprices and takes them off sale. A fresh local stack
// is seeded with a few products so there is something to buy.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Product } from '../../typings/checkout';
import { MAX_PRICE_FEN, NAME_MAX, type ProductDoc, SEED_PRODUCTS, seedProductId } from '../core/domain/catalogue';
import { AppError } from '../core/errors';
import { type Filter, isDuplicate } from '../core/ports/store';
import { action } from '../core/runtime/action';
import type { Deps } from '../core/runtime/deps';
import { productDto } from './dto';
import { findPage, pageInput } from './paging';

const name = z.string().trim().min(1).max(NAME_MAX);
const priceFen = z.number().int().min(1).max(MAX_PRICE_FEN);

/** Local mode only: an empty catalogue gets the demo products (fixed ids, so racing seeds insert once). */
export async function seedCatalogue(deps: Deps, appid: string): Promise<void> {
  if (deps.config.mode !== 'local') return;
  if ((await deps.store.count('products', { appid })) > 0) return;
  const at = deps.clock.now().toISOString();
  for (const [i, seed] of SEED_PRODUCTS.entries()) {
    // Creation times a millisecond apart keep the listed order stable.
    const createdAt = new Date(Date.parse(at) + i).toISOString();
    try {
      await deps.store.insert<ProductDoc>('products', { _id: seedProductId(appid, seed.key), appid, name: seed.name, priceFen: seed.priceFen, active: true, createdAt, updatedAt: createdAt });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
  }
}

const notFound = () => new AppError('CATALOGUE.PRODUCT_NOT_FOUND', 'That product was not found');

export const catalogueActions = {
  listProducts: action({
    roles: ['buyer', 'admin'],
    input: z.object({ includeInactive: z.boolean().optional(), ...pageInput }).strict(),
    async handler({ includeInactive, after, limit }, { deps, identity, role }): Promise<{ items: Product[]; next?: string }> {
      await seedCatalogue(deps, identity.appid);
      // Only the admin sees products taken off sale.
      const where: Filter = role === 'admin' && includeInactive ? { appid: identity.appid } : { appid: identity.appid, active: true };
      const page = await findPage<ProductDoc>(deps.store, 'products', { where, orderBy: [['createdAt', 'asc']], limit: limit ?? 50, after });
      return page.next ? { items: page.items.map(productDto), next: page.next } : { items: page.items.map(productDto) };
    },
  }),

  saveProduct: action({
    roles: ['admin'],
    idempotent: true,
    input: z.object({ id: z.string().min(1).max(80).optional(), name, priceFen, active: z.boolean() }).strict(),
    async handler(input, { deps, identity, idempotencyKey }): Promise<Product> {
      const at = deps.clock.now().toISOString();
      if (input.id) {
        const saved = await deps.store.update('products', input.id, { set: { name: input.name, priceFen: input.priceFen, active: input.active, updatedAt: at } }, { appid: identity.appid });
        if (!saved) throw notFound();
        return productDto((await deps.store.get<ProductDoc>('products', input.id))!);
      }
      // A new product's id comes from the idempotency key: a retried create cannot add it twice.
      const id = `P${crypto.createHash('sha256').update(`product\n${identity.appid}\n${idempotencyKey}`).digest('hex').slice(0, 23)}`;
      const doc: ProductDoc = { _id: id, appid: identity.appid, name: input.name, priceFen: input.priceFen, active: input.active, createdAt: at, updatedAt: at };
      try {
        await deps.store.insert<ProductDoc>('products', doc);
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        return productDto((await deps.store.get<ProductDoc>('products', id))!);
      }
      return productDto(doc);
    },
  }),
};
