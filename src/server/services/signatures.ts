import { createHash } from 'node:crypto';
import type { TenantDb } from '../db/tenant-db.js';
import { renderSignature } from '../../core/signature/index.js';
import { publishedEtag, publishedPacks } from './packs.js';
import { repProfileOf } from './people.js';
import type { MySignature } from '../../contract/signatures.js';

export type { MySignature };

/**
 * The enforced signature a rep must send with: the first enforced signature among the packs
 * published to them (by pack id, so the choice is stable), rendered from their profile. Rendered
 * here so the Outlook event handler needs only the marker code, not the renderer.
 */
export async function mySignature(tdb: TenantDb, userId: string): Promise<MySignature | null> {
  const user = await tdb.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const company = await tdb.executor.selectFrom('tenants').select('name').where('id', '=', tdb.tenantId).executeTakeFirst();
  for (const pack of await publishedPacks(tdb, userId)) {
    const signature = pack.document.signatures?.find((s) => s.enforce);
    if (!signature) continue;
    const rendered = renderSignature(
      signature,
      repProfileOf(user),
      { name: company?.name ?? null },
    );
    return {
      pack: pack.pack,
      signature: signature.id,
      html: rendered.html,
      text: rendered.text,
      hash: rendered.hash,
      policy: { signatureOnSend: pack.document.policies?.signatureOnSend ?? 'block', disableClientSignature: pack.document.policies?.disableClientSignature ?? true },
    };
  }
  return null;
}

/**
 * The ETag of a rep's signature: it changes when what mySignature renders from changes — the
 * published pack versions and the rep's profile (both in publishedEtag) and the company name.
 * The Outlook compose handler revalidates with it on every new mail, so the 304 path must stay
 * a few small queries with no rendering.
 */
export async function signatureEtag(tdb: TenantDb, userId: string): Promise<string> {
  const company = await tdb.executor.selectFrom('tenants').select('name').where('id', '=', tdb.tenantId).executeTakeFirst();
  const packs = await publishedEtag(tdb, userId);
  return `"${createHash('sha256').update(`signature|${packs}|${company?.name ?? ''}`).digest('base64url').slice(0, 27)}"`;
}
