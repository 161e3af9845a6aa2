import type { Insertable, Kysely, SelectQueryBuilder, Transaction, UpdateQueryBuilder, DeleteQueryBuilder, UpdateResult, DeleteResult, Updateable } from 'kysely';
import type { Database } from './tables.js';
import { randomUUIDv7 } from 'node:crypto';

/** Tables whose rows belong to a tenant. */
export type TenantTable = { [K in keyof Database]: Database[K] extends { tenant_id: string } ? K : never }[keyof Database];

/**
 * The only door services have to the database: every query it builds is already narrowed to one
 * tenant, and every insert is stamped with it. A service cannot forget the tenant because it
 * never holds a handle that could leave it out.
 */
export class TenantDb {
  constructor(
    private readonly db: Kysely<Database> | Transaction<Database>,
    readonly tenantId: string,
  ) {}

  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<Database, T, object> {
    return (this.db.selectFrom(table) as SelectQueryBuilder<Database, TenantTable, object>).where(
      `${table}.tenant_id` as never,
      '=',
      this.tenantId as never,
    ) as unknown as SelectQueryBuilder<Database, T, object>;
  }

  updateTable<T extends TenantTable>(table: T, values: Updateable<Database[T]>): UpdateQueryBuilder<Database, T, T, UpdateResult> {
    return (this.db.updateTable(table) as unknown as UpdateQueryBuilder<Database, T, T, UpdateResult>)
      .set(values as never)
      .where('tenant_id' as never, '=', this.tenantId as never);
  }

  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<Database, T, DeleteResult> {
    return (this.db.deleteFrom(table) as unknown as DeleteQueryBuilder<Database, T, DeleteResult>).where(
      'tenant_id' as never,
      '=',
      this.tenantId as never,
    );
  }

  async insert<T extends TenantTable>(table: T, values: Omit<Insertable<Database[T]>, 'tenant_id'> | Omit<Insertable<Database[T]>, 'tenant_id'>[]): Promise<void> {
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({ ...v, tenant_id: this.tenantId }));
    if (rows.length === 0) return;
    await this.db.insertInto(table).values(rows as never).execute();
  }

  /** Inserts unless a row with the same unique key (tenant_id + `conflict`) exists; true when inserted. */
  async insertIfAbsent<T extends TenantTable>(table: T, values: Omit<Insertable<Database[T]>, 'tenant_id'>, conflict: string[]): Promise<boolean> {
    const result = await this.db
      .insertInto(table)
      .values({ ...values, tenant_id: this.tenantId } as never)
      .onConflict((oc) => oc.columns(['tenant_id', ...conflict] as never).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Insert, or on a clash with the unique key (tenant_id + `conflict`) apply `update` instead, in
   * one statement: no read-then-write race between concurrent requests.
   */
  async upsert<T extends TenantTable>(table: T, values: Omit<Insertable<Database[T]>, 'tenant_id'>, conflict: string[], update: Record<string, unknown>): Promise<void> {
    await this.db
      .insertInto(table)
      .values({ ...values, tenant_id: this.tenantId } as never)
      .onConflict((oc) => oc.columns(['tenant_id', ...conflict] as never).doUpdateSet(update as never))
      .execute();
  }

  /**
   * For the rare hand-written query (one round trip on a hot path). Such a query must filter on
   * `tenant_id = ${tdb.tenantId}` itself; keep it next to a test that proves it does.
   */
  get executor(): Kysely<Database> | Transaction<Database> {
    return this.db;
  }

  /** Runs `work` in one transaction (or in the current one): all of it is stored, or none. */
  async transaction<R>(work: (tdb: TenantDb) => Promise<R>): Promise<R> {
    if (this.db.isTransaction) return work(this);
    return (this.db as Kysely<Database>).transaction().execute((trx) => work(new TenantDb(trx, this.tenantId)));
  }
}

/**
 * Row ids: UUID version 7 (a millisecond timestamp, then 74 random bits), so rows written together
 * sit together in every index that holds the id — a page of 100 mails dirtied ~100 scattered
 * B-tree pages per id index with random (v4) ids, and a synced page's commit took twice as long
 * (docs/performance.md, 'Round five'). Ids are names, never secrets: tokens use randomBytes.
 */
export const newId = (): string => randomUUIDv7();
export const nowIso = (): string => new Date().toISOString();
