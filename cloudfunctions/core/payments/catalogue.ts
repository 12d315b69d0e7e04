// The catalogue: buyers see what is for sale; the merchant admin adds
// products, renames, reprices and takes them off sale. A fresh local stack
// is seeded with a few products so there is something to buy.
import crypto from 'node:crypto';
import type { Product } from '../../../typings/checkout';
import { type ProductDoc, SEED_PRODUCTS, seedProductId } from '../domain/catalogue';
import { AppError } from '../errors';
import { type Filter, isDuplicate, mustGet } from '../ports/store';
import { type CallContext, idempotencyKeyOf } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import { findPage, type PageRequest } from '../runtime/paging';
import { productDto } from './views';

/** Local mode only: an empty catalogue gets the demo products (fixed ids, so racing seeds insert once). */
export async function seedCatalogue(deps: Deps, appid: string): Promise<void> {
  if (deps.config.mode !== 'local') return;
  if ((await deps.store.count('products', { appid })) > 0) return;
  const at = deps.clock.now().toISOString();
  for (const [i, seed] of SEED_PRODUCTS.entries()) {
    // Creation times a millisecond apart keep the listed order stable.
    const createdAt = new Date(Date.parse(at) + i).toISOString();
    try {
      await deps.store.insert<ProductDoc>('products', {
        _id: seedProductId(appid, seed.key),
        appid,
        name: seed.name,
        priceFen: seed.priceFen,
        active: true,
        createdAt,
        updatedAt: createdAt,
      });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
  }
}

const notFound = () => new AppError('CATALOGUE.PRODUCT_NOT_FOUND', 'That product was not found');

/** Products for sale; the admin may include those taken off sale. */
export async function listProducts(
  { deps, identity, role }: CallContext,
  { includeInactive, after, limit }: PageRequest & { includeInactive?: boolean },
): Promise<{ items: Product[]; next?: string }> {
  await seedCatalogue(deps, identity.appid);
  const where: Filter =
    role === 'admin' && includeInactive ? { appid: identity.appid } : { appid: identity.appid, active: true };
  const page = await findPage<ProductDoc>(deps.store, 'products', {
    where,
    orderBy: [['createdAt', 'asc']],
    limit: limit ?? 50,
    after,
  });
  const items = page.items.map(productDto);
  return page.next ? { items, next: page.next } : { items };
}

export interface ProductInput {
  id?: string;
  name: string;
  priceFen: number;
  active: boolean;
}

/** Adds a product (id from the idempotency key, so a retried create adds it once) or changes one. */
export async function saveProduct(ctx: CallContext, input: ProductInput): Promise<Product> {
  const { deps, identity } = ctx;
  const at = deps.clock.now().toISOString();
  if (input.id) {
    const saved = await deps.store.update(
      'products',
      input.id,
      { set: { name: input.name, priceFen: input.priceFen, active: input.active, updatedAt: at } },
      { appid: identity.appid },
    );
    if (!saved) throw notFound();
    return productDto(await mustGet<ProductDoc>(deps.store, 'products', input.id));
  }
  const id = `P${crypto
    .createHash('sha256')
    .update(`product\n${identity.appid}\n${idempotencyKeyOf(ctx)}`)
    .digest('hex')
    .slice(0, 23)}`;
  const doc: ProductDoc = {
    _id: id,
    appid: identity.appid,
    name: input.name,
    priceFen: input.priceFen,
    active: input.active,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.store.insert<ProductDoc>('products', doc);
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    return productDto(await mustGet<ProductDoc>(deps.store, 'products', id));
  }
  return productDto(doc);
}
