/**
 * What a template is rendered with, assembled in one place for the store's render, the console's
 * preview and the CLI: the rep's profile (rep.*), their company (company.name), the recipient's
 * contact (contact.*) and customer (customer.*) records, and the typed fields.
 */

export interface ContactRecord {
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  email?: string | null | undefined;
  language?: string | null | undefined;
}

export interface CustomerRecord {
  /** The company's name (customer.company in templates). */
  name?: string | null | undefined;
  country?: string | null | undefined;
}

export interface RenderInputsSource {
  rep: Record<string, unknown>;
  companyName: string | null | undefined;
  /** The recipient's address: contact.email when the store has no contact record. */
  to?: string | null | undefined;
  contact?: ContactRecord | null | undefined;
  customer?: CustomerRecord | null | undefined;
  fields: Record<string, unknown>;
}

export interface RenderInputs {
  rep: Record<string, unknown>;
  company: { name: string | null };
  contact: { firstName: string | null | undefined; lastName: string | null | undefined; email: string | null | undefined };
  customer: { company: string | null | undefined; country: string | null | undefined };
  fields: Record<string, unknown>;
}

export function renderInputs(source: RenderInputsSource): RenderInputs {
  return {
    rep: source.rep,
    company: { name: source.companyName ?? null },
    contact: { firstName: source.contact?.firstName, lastName: source.contact?.lastName, email: source.contact?.email ?? source.to ?? undefined },
    customer: { company: source.customer?.name, country: source.customer?.country },
    fields: source.fields,
  };
}
