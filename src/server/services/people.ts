import type { Actor } from '../auth/principal.js';
import { audit } from './audit.js';
import type { GroupRow, UserRow } from '../db/tables.js';
import { newId, nowIso, type TenantDb } from '../db/tenant-db.js';
import { badRequest, conflict, notFound, unprocessable, type ErrorDetail } from '../errors.js';
import { isRole, type Role } from '../../core/access/permissions.js';
import { SLUG_PATTERN } from '../../core/pack/schema.js';
import { didYouMean } from '../../core/text/suggest.js';
import { DIRECTORY_FIELDS, isDirectoryField } from '../../core/people/directory.js';
import type { GroupView, UserView } from '../../contract/people.js';

export type { GroupView, UserView };

/** Users and groups of one tenant. */

export interface UserProfile {
  name: string;
  title?: string | null;
  phone?: string | null;
  mobile?: string | null;
  whatsapp?: string | null;
  wechat?: string | null;
  department?: string | null;
  locale?: string | null;
  timeZone?: string | null;
}

export interface NewUser extends UserProfile {
  email: string;
  role?: Role;
  groups?: string[];
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function normaliseEmail(raw: string, path = 'email'): string {
  const email = raw.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw badRequest(`"${raw}" is not an e-mail address`, [{ path, message: 'not an e-mail address' }]);
  return email;
}

export function checkTimeZone(zone: string | null | undefined, path = 'timeZone'): void {
  if (!zone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw badRequest(`"${zone}" is not an IANA time zone (e.g. "Asia/Shanghai")`, [{ path, message: 'unknown time zone' }]);
  }
}

function toView(row: UserRow, groups: string[]): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    title: row.title,
    phone: row.phone,
    mobile: row.mobile,
    whatsapp: row.whatsapp,
    wechat: row.wechat,
    department: row.department,
    locale: row.locale,
    timeZone: row.time_zone,
    role: row.role,
    groups,
    disabled: row.disabled_at !== null,
    pinned: JSON.parse(row.pinned_fields ?? '[]') as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function groupsOf(tdb: TenantDb, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await tdb
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.slug'])
    .where('group_members.user_id', 'in', userIds)
    .orderBy('groups.slug')
    .execute();
  for (const r of rows) map.get(r.user_id)?.push(r.slug);
  return map;
}

/** Group slugs → rows; unknown slugs fail with a suggestion, at the path the caller gave. */
export async function resolveGroups(tdb: TenantDb, slugs: string[], pathOf: (i: number) => string): Promise<GroupRow[]> {
  if (slugs.length === 0) return [];
  const all = await tdb.selectFrom('groups').selectAll().execute();
  const bySlug = new Map(all.map((g) => [g.slug, g]));
  const details: ErrorDetail[] = [];
  const found: GroupRow[] = [];
  slugs.forEach((slug, i) => {
    const g = bySlug.get(slug);
    if (g) found.push(g);
    else {
      const known = [...bySlug.keys()];
      details.push({
        path: pathOf(i),
        message: `unknown group "${slug}"${didYouMean(slug, known)}${known.length ? `; groups are: ${known.join(', ')}` : '; this tenant has no groups yet'}`,
      });
    }
  });
  if (details.length) throw unprocessable('unknown_group', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
  return found;
}

/** A user as their signature and templates see them (rep.*). */
export function repProfileOf(user: UserRow): { name: string; email: string; title: string | null; department: string | null; phone: string | null; mobile: string | null; whatsapp: string | null; wechat: string | null } {
  return { name: user.name, email: user.email, title: user.title, department: user.department, phone: user.phone, mobile: user.mobile, whatsapp: user.whatsapp, wechat: user.wechat };
}

export async function getUser(tdb: TenantDb, userId: string): Promise<UserView> {
  const row = await tdb.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('user');
  return toView(row, (await groupsOf(tdb, [row.id])).get(row.id) ?? []);
}

export async function findUserByEmail(tdb: TenantDb, email: string): Promise<UserRow | undefined> {
  return tdb.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function listUsers(tdb: TenantDb): Promise<UserView[]> {
  const rows = await tdb.selectFrom('users').selectAll().orderBy('email').execute();
  const groups = await groupsOf(tdb, rows.map((r) => r.id));
  return rows.map((r) => toView(r, groups.get(r.id) ?? []));
}

export async function addUser(tdb: TenantDb, actor: Actor, input: NewUser): Promise<UserView> {
  const email = normaliseEmail(input.email);
  const role = input.role ?? 'rep';
  if (!isRole(role)) throw badRequest(`role must be rep or admin, got "${String(role)}"`, [{ path: 'role', message: 'unknown role' }]);
  if (!input.name?.trim()) throw badRequest('name is required', [{ path: 'name', message: 'is required' }]);
  checkTimeZone(input.timeZone);
  return tdb.transaction(async (t) => {
    if (await findUserByEmail(t, email)) throw conflict(`user ${email} already exists`);
    const id = newId();
    const now = nowIso();
    await t.insert('users', {
      id,
      email,
      name: input.name.trim(),
      title: input.title ?? null,
      phone: input.phone ?? null,
      mobile: input.mobile ?? null,
      whatsapp: input.whatsapp ?? null,
      wechat: input.wechat ?? null,
      department: input.department ?? null,
      locale: input.locale ?? null,
      time_zone: input.timeZone ?? null,
      role,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    });
    const groups = await resolveGroups(t, input.groups ?? [], (i) => `groups[${i}]`);
    await t.insert('group_members', groups.map((g) => ({ group_id: g.id, user_id: id })));
    await audit(t, actor, 'user.added', { type: 'user', id }, { email, role, groups: groups.map((g) => g.slug) });
    return getUser(t, id);
  });
}

export interface UserChanges extends Partial<UserProfile> {
  role?: Role;
  disabled?: boolean;
  /** The complete list of group slugs afterwards. */
  groups?: string[];
  /** The complete list of pinned fields afterwards (core/people/directory.ts DIRECTORY_FIELDS). */
  pinned?: string[];
  /** Why a person is disabled (audit log, and the reason on each scheduled send it stops). */
  reason?: string;
}

export interface UserUpdateResult {
  user: UserView;
  revokedKeys: number;
  stoppedSends: number;
}

/** The admin console and CLI must never leave a tenant without an active admin. */
async function keepAnAdmin(t: TenantDb, userId: string): Promise<void> {
  const others = await t.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).where('id', '!=', userId).limit(1).execute();
  if (others.length === 0) throw conflict('this is the last active admin of the tenant; make someone else an admin first');
}

export async function updateUser(tdb: TenantDb, actor: Actor, userId: string, changes: UserChanges): Promise<UserView> {
  return (await changeUser(tdb, actor, userId, changes)).user;
}

/**
 * Changes a person. Disabling also revokes their API keys and stops their pending scheduled sends
 * (cancelled, with the reason), in the same transaction: nothing of theirs acts after the answer.
 * Sign-in is refused while disabled (auth/authenticate.ts, services/api-keys.ts).
 */
export async function changeUser(tdb: TenantDb, actor: Actor, userId: string, changes: UserChanges): Promise<UserUpdateResult> {
  if (changes.role !== undefined && !isRole(changes.role)) throw badRequest(`role must be rep or admin`, [{ path: 'role', message: 'unknown role' }]);
  if (changes.name !== undefined && !changes.name.trim()) throw badRequest('name must not be empty', [{ path: 'name', message: 'must not be empty' }]);
  if (changes.reason !== undefined && /[\u0000-\u001f\u007f]/.test(changes.reason)) throw badRequest('reason: must be one line of plain text', [{ path: 'reason', message: 'control characters' }]);
  checkTimeZone(changes.timeZone);
  return tdb.transaction(async (t) => {
    const before = await getUser(t, userId);
    const disabling = changes.disabled === true && !before.disabled;
    const enabling = changes.disabled === false && before.disabled;
    if (disabling && actor.userId === userId) throw conflict('you cannot disable yourself; ask another admin');
    if (before.role === 'admin' && !before.disabled && (disabling || changes.role === 'rep')) await keepAnAdmin(t, userId);
    const now = nowIso();
    const set: Partial<UserRow> = { updated_at: now };
    if (changes.name !== undefined) set.name = changes.name.trim();
    for (const [key, column] of [
      ['title', 'title'], ['phone', 'phone'], ['mobile', 'mobile'], ['whatsapp', 'whatsapp'], ['wechat', 'wechat'],
      ['department', 'department'], ['locale', 'locale'], ['timeZone', 'time_zone'],
    ] as const) {
      // An empty field clears it: a blank in a form means "none", not a blank signature line.
      if (changes[key] !== undefined) (set as Record<string, unknown>)[column] = changes[key] === null ? null : changes[key].trim() || null;
    }
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.pinned !== undefined) {
      const unknown = changes.pinned.filter((f) => !isDirectoryField(f));
      if (unknown.length) throw badRequest(`pinned: unknown field ${unknown.join(', ')}; fields are ${DIRECTORY_FIELDS.join(', ')}`, [{ path: 'pinned', message: 'unknown field' }]);
      set.pinned_fields = JSON.stringify(DIRECTORY_FIELDS.filter((f) => changes.pinned!.includes(f)));
    }
    if (disabling) set.disabled_at = now;
    if (enabling) set.disabled_at = null;
    await t.updateTable('users', set).where('id', '=', userId).execute();

    let groupsChanged: { added: string[]; removed: string[] } | undefined;
    if (changes.groups !== undefined) {
      const wanted = await resolveGroups(t, [...new Set(changes.groups)], (i) => `groups[${i}]`);
      const added = wanted.filter((g) => !before.groups.includes(g.slug));
      const removed = before.groups.filter((slug) => !wanted.some((g) => g.slug === slug));
      if (added.length) await t.insert('group_members', added.map((g) => ({ group_id: g.id, user_id: userId })));
      if (removed.length) {
        const removedIds = (await t.selectFrom('groups').select('id').where('slug', 'in', removed).execute()).map((g) => g.id);
        await t.deleteFrom('group_members').where('user_id', '=', userId).where('group_id', 'in', removedIds).execute();
      }
      if (added.length || removed.length) groupsChanged = { added: added.map((g) => g.slug), removed };
    }

    let revokedKeys = 0;
    let stoppedSends = 0;
    if (disabling) {
      const why = changes.reason?.trim();
      const keys = await t.selectFrom('api_keys').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      if (keys.length) await t.updateTable('api_keys', { revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      revokedKeys = keys.length;
      // Conditional on pending, like every change to a live send: one the worker holds goes out or fails on its own.
      const sends = await t.selectFrom('scheduled_sends').select('id').where('user_id', '=', userId).where('status', '=', 'pending').execute();
      if (sends.length) {
        const reason = `stopped: ${before.email} was disabled by ${actor.label}${why ? ` (${why})` : ''}`;
        await t.updateTable('scheduled_sends', { status: 'cancelled', reason, lease_owner: null, lease_until: null, updated_at: now }).where('user_id', '=', userId).where('status', '=', 'pending').execute();
      }
      stoppedSends = sends.length;
    }
    const { disabled: _d, reason: _r, groups: _g, pinned, ...profile } = changes;
    const action = disabling ? 'user.disabled' : enabling ? 'user.enabled' : 'user.updated';
    await audit(t, actor, action, { type: 'user', id: userId }, {
      email: before.email,
      ...(Object.keys(profile).length ? { changes: profile } : {}),
      ...(groupsChanged ? { groups: groupsChanged } : {}),
      ...(pinned !== undefined ? { pinned } : {}),
      ...(disabling ? { reason: changes.reason?.trim() || null, revokedKeys, stoppedSends } : {}),
    });
    return { user: await getUser(t, userId), revokedKeys, stoppedSends };
  });
}

export async function listGroups(tdb: TenantDb): Promise<GroupView[]> {
  const groups = await tdb.selectFrom('groups').selectAll().orderBy('slug').execute();
  const members = await tdb
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['group_members.group_id', 'users.email'])
    .orderBy('users.email')
    .execute();
  return groups.map((g) => ({ id: g.id, slug: g.slug, name: g.name, members: members.filter((m) => m.group_id === g.id).map((m) => m.email) }));
}

export async function getGroup(tdb: TenantDb, groupId: string): Promise<GroupView> {
  const group = (await listGroups(tdb)).find((g) => g.id === groupId || g.slug === groupId);
  if (!group) throw notFound('group');
  return group;
}

export async function createGroup(tdb: TenantDb, actor: Actor, input: { slug: string; name?: string }): Promise<GroupView> {
  if (!new RegExp(SLUG_PATTERN).test(input.slug) || input.slug === '*') {
    throw badRequest(`group "${input.slug}" must be lower-case letters, digits, "-" or "_"`, [{ path: 'slug', message: 'invalid group id' }]);
  }
  return tdb.transaction(async (t) => {
    const exists = await t.selectFrom('groups').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (exists) throw conflict(`group "${input.slug}" already exists`);
    const id = newId();
    await t.insert('groups', { id, slug: input.slug, name: input.name?.trim() || input.slug, created_at: nowIso() });
    await audit(t, actor, 'group.created', { type: 'group', id }, { slug: input.slug });
    return getGroup(t, id);
  });
}

export async function setMembership(tdb: TenantDb, actor: Actor, groupId: string, userId: string, member: boolean): Promise<GroupView> {
  return tdb.transaction(async (t) => {
    const group = await getGroup(t, groupId);
    const user = await getUser(t, userId);
    const present = await t.selectFrom('group_members').select('user_id').where('group_id', '=', group.id).where('user_id', '=', user.id).executeTakeFirst();
    if (member && !present) await t.insert('group_members', { group_id: group.id, user_id: user.id });
    if (!member && present) await t.deleteFrom('group_members').where('group_id', '=', group.id).where('user_id', '=', user.id).execute();
    if (member !== Boolean(present)) {
      await t.updateTable('users', { updated_at: nowIso() }).where('id', '=', user.id).execute();
      await audit(t, actor, member ? 'group.member_added' : 'group.member_removed', { type: 'group', id: group.id }, { group: group.slug, email: user.email });
    }
    return getGroup(t, group.id);
  });
}

export async function deleteGroup(tdb: TenantDb, actor: Actor, groupId: string): Promise<void> {
  await tdb.transaction(async (t) => {
    const group = await getGroup(t, groupId);
    await t.deleteFrom('pack_publications').where('audience', '=', group.id).execute();
    await t.deleteFrom('groups').where('id', '=', group.id).execute();
    await audit(t, actor, 'group.deleted', { type: 'group', id: group.id }, { slug: group.slug });
  });
}
