import { parse } from 'csv-parse/sync';
import type { Actor } from '../auth/principal.js';
import type { TenantDb } from '../db/tenant-db.js';
import { AppError } from '../errors.js';
import { isRole, type Role } from '../../core/access/permissions.js';
import { didYouMean } from '../../core/text/suggest.js';
import { audit } from './audit.js';
import { addUser, checkTimeZone, listGroups, listUsers, normaliseEmail, setMembership, updateUser, type UserProfile, type UserView } from './people.js';
import type { ImportReport, ImportRowReport } from '../../contract/console.js';

export type { ImportReport, ImportRowReport };

/**
 * Importing people from a CSV file (an HR export, a spreadsheet): first a dry run that says, row
 * by row, what would be created, updated or left alone and what is wrong; then the same plan
 * applied in one transaction — all rows or none, never half an import.
 */

/** Columns the import understands; the header row names them (any order, case and spacing ignored). */
export const IMPORT_COLUMNS = ['email', 'name', 'role', 'groups', 'title', 'department', 'phone', 'mobile', 'whatsapp', 'wechat', 'locale', 'timeZone', 'disabled'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const PROFILE_COLUMNS = ['name', 'title', 'department', 'phone', 'mobile', 'whatsapp', 'wechat', 'locale', 'timeZone'] as const satisfies readonly (Column & keyof UserProfile)[];

export const IMPORT_MAX_ROWS = 5000;

const headerKey = (raw: string): string => raw.trim().toLowerCase().replace(/[\s_-]+/g, '');
const COLUMN_BY_KEY = new Map<string, Column>(IMPORT_COLUMNS.map((c) => [headerKey(c), c]));

interface PlannedRow {
  report: ImportRowReport;
  userId?: string | undefined;
  create?: { email: string; name: string; role: Role; groups: string[] } & UserProfile;
  update?: Partial<UserProfile> & { role?: Role; disabled?: boolean };
  groups?: { add: string[]; remove: string[] };
}

function parseCsv(csv: string): { header: string[]; records: { line: number; cells: string[] }[] } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(csv.replace(/^\uFEFF/, ''), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 64 * 1024 }) as never;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new AppError(400, 'bad_csv', `the file is not valid CSV${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`, [{ path: 'csv', message: e.message }]);
  }
  const [head, ...rest] = rows;
  if (!head) throw new AppError(400, 'bad_csv', 'the file is empty: it needs a header row naming the columns (email, name, …)', [{ path: 'csv', message: 'empty' }]);
  if (rest.length > IMPORT_MAX_ROWS) throw new AppError(400, 'bad_csv', `the file has ${rest.length} rows; import at most ${IMPORT_MAX_ROWS} at a time`, [{ path: 'csv', message: 'too many rows' }]);
  return { header: head.record, records: rest.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '') === (b ?? '');

/** Works out what the import would do, reading the store but changing nothing. */
async function plan(tdb: TenantDb, csv: string): Promise<{ columns: Column[]; rows: PlannedRow[] }> {
  const { header, records } = parseCsv(csv);
  const columns: (Column | null)[] = header.map((h) => COLUMN_BY_KEY.get(headerKey(h)) ?? null);
  const unknown = header.filter((_, i) => columns[i] === null);
  if (unknown.length) {
    throw new AppError(
      400,
      'bad_csv',
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}${didYouMean(unknown[0]!, [...IMPORT_COLUMNS])}; the columns are: ${IMPORT_COLUMNS.join(', ')}`,
      unknown.map((u) => ({ path: `header.${u}`, message: 'unknown column' })),
    );
  }
  const present = columns.filter((c): c is Column => c !== null);
  if (!present.includes('email')) throw new AppError(400, 'bad_csv', 'the header must have an "email" column', [{ path: 'header', message: 'no email column' }]);

  const users = new Map((await listUsers(tdb)).map((u) => [u.email, u]));
  const groupSlugs = (await listGroups(tdb)).map((g) => g.slug);
  const seen = new Map<string, number>();
  const rows: PlannedRow[] = [];

  for (const { line, cells } of records) {
    const value = (c: Column): string | undefined => {
      const i = columns.indexOf(c);
      return i >= 0 ? (cells[i] ?? '') : undefined;
    };
    const errors: ImportRowReport['errors'] = [];
    const rawEmail = value('email') ?? '';
    let email = rawEmail.trim().toLowerCase();
    try {
      email = normaliseEmail(rawEmail);
    } catch {
      errors.push({ column: 'email', message: rawEmail ? `"${rawEmail}" is not an e-mail address` : 'is empty' });
    }
    const earlier = seen.get(email);
    if (email && earlier) errors.push({ column: 'email', message: `also on line ${earlier}; each person once` });
    if (email) seen.set(email, line);

    const role = value('role')?.toLowerCase();
    if (role && !isRole(role)) errors.push({ column: 'role', message: `"${role}" is not a role; use rep or admin` });
    const zone = value('timeZone');
    try {
      checkTimeZone(zone || null);
    } catch {
      errors.push({ column: 'timeZone', message: `"${zone}" is not an IANA time zone (e.g. Asia/Shanghai)` });
    }
    const disabledRaw = value('disabled')?.toLowerCase();
    let disabled: boolean | undefined;
    if (disabledRaw !== undefined && disabledRaw !== '') {
      if (['yes', 'true', '1', 'y'].includes(disabledRaw)) disabled = true;
      else if (['no', 'false', '0', 'n'].includes(disabledRaw)) disabled = false;
      else errors.push({ column: 'disabled', message: `"${disabledRaw}" must be yes or no` });
    }
    const groupsCell = value('groups');
    const groups = groupsCell === undefined ? undefined : [...new Set(groupsCell.split(/[;|,]/).map((g) => g.trim().toLowerCase()).filter(Boolean))];
    for (const g of groups ?? []) {
      if (!groupSlugs.includes(g)) errors.push({ column: 'groups', message: `unknown group "${g}"${didYouMean(g, groupSlugs)}; create it first` });
    }
    for (const c of PROFILE_COLUMNS) {
      const v = value(c);
      if (v !== undefined && v.length > 200) errors.push({ column: c, message: 'is longer than 200 characters' });
    }

    const existing = users.get(email);
    const report: ImportRowReport = { line, email, action: 'error', changes: [], errors };
    const row: PlannedRow = { report };
    rows.push(row);
    if (!existing && !value('name')) errors.push({ column: 'name', message: 'is required for a new person' });
    if (errors.length) continue;

    if (!existing) {
      report.action = 'create';
      const profile: UserProfile = { name: value('name')! };
      for (const c of PROFILE_COLUMNS) if (c !== 'name' && value(c)) profile[c] = value(c)!;
      row.create = { ...profile, email, role: (role as Role | undefined) || 'rep', groups: groups ?? [] };
      if (disabled) row.update = { disabled: true };
      continue;
    }
    // Existing person: a column that is present and non-empty sets the value; empty cells keep it.
    const update: NonNullable<PlannedRow['update']> = {};
    for (const c of PROFILE_COLUMNS) {
      const v = value(c);
      const current = existing[c as keyof UserView] as string | null;
      if (v && !same(v, current)) {
        update[c] = v;
        report.changes.push({ field: c, from: current ?? '', to: v });
      }
    }
    if (role && role !== existing.role) {
      update.role = role as Role;
      report.changes.push({ field: 'role', from: existing.role, to: role });
    }
    if (disabled !== undefined && disabled !== existing.disabled) {
      update.disabled = disabled;
      report.changes.push({ field: 'disabled', from: existing.disabled ? 'yes' : 'no', to: disabled ? 'yes' : 'no' });
    }
    if (groups) {
      const add = groups.filter((g) => !existing.groups.includes(g));
      const remove = existing.groups.filter((g) => !groups.includes(g));
      if (add.length || remove.length) {
        row.groups = { add, remove };
        report.changes.push({ field: 'groups', from: existing.groups.join(';'), to: groups.join(';') });
      }
    }
    row.userId = existing.id;
    if (Object.keys(update).length) row.update = update;
    report.action = report.changes.length ? 'update' : 'unchanged';
  }
  return { columns: present, rows };
}

function reportOf(columns: string[], rows: PlannedRow[], applied: boolean): ImportReport {
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) counts[r.report.action] += 1;
  return { applied, columns, counts, rows: rows.map((r) => r.report) };
}

/**
 * Dry run (`apply: false`): the report only. Apply: refused with the same report while any row
 * has an error; otherwise every change in one transaction, each audited, plus one summary entry.
 */
export async function importPeople(tdb: TenantDb, actor: Actor, csv: string, options: { apply: boolean }): Promise<ImportReport> {
  const { columns, rows } = await plan(tdb, csv);
  const dry = reportOf(columns, rows, false);
  if (!options.apply) return dry;
  if (dry.counts.error > 0) {
    throw new AppError(
      422,
      'import_has_errors',
      `${dry.counts.error} row${dry.counts.error === 1 ? ' has' : 's have'} errors; nothing was imported`,
      rows.filter((r) => r.report.action === 'error').flatMap((r) => r.report.errors.map((e) => ({ path: `line ${r.report.line}.${e.column}`, message: e.message }))),
    );
  }
  return tdb.transaction(async (t) => {
    // Plan again inside the transaction: what is applied is what the store holds now.
    const fresh = await plan(t, csv);
    for (const row of fresh.rows) {
      if (row.create) {
        const created = await addUser(t, actor, row.create);
        if (row.update) await updateUser(t, actor, created.id, row.update);
        continue;
      }
      if (!row.userId) continue;
      if (row.update) await updateUser(t, actor, row.userId, row.update);
      for (const g of row.groups?.add ?? []) await setMembership(t, actor, g, row.userId, true);
      for (const g of row.groups?.remove ?? []) await setMembership(t, actor, g, row.userId, false);
    }
    const report = reportOf(fresh.columns, fresh.rows, true);
    if (report.counts.error > 0) throw new AppError(409, 'conflict', 'the people changed while importing; run the dry run again');
    await audit(t, actor, 'people.imported', { type: 'tenant', id: t.tenantId }, { counts: report.counts });
    return report;
  });
}
