/**
 * What a template is rendered with, assembled in one place for the store's render, the console's
 * preview and the CLI: the rep's profile (rep.*), their company (company.name), the recipient's
 * contact (contact.*) and customer (customer.*) records, and the typed fields.
 */

export interface ContactRecord {
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  email?: string | null | undefined;
  title?: string | null | undefined;
  language?: string | null | undefined;
}

export interface CustomerRecord {
  /** The company's name (customer.company in templates). */
  name?: string | null | undefined;
  country?: string | null | undefined;
  city?: string | null | undefined;
}

type Texts = Record<string, string | null | undefined>;

export interface RenderInputsSource {
  rep: Texts;
  /** The rep's company (company.name, website, address, phone). */
  company: Texts;
  /** The recipient's address: contact.email when the store has no contact record. */
  to?: string | null | undefined;
  contact?: ContactRecord | null | undefined;
  customer?: CustomerRecord | null | undefined;
  fields: Record<string, unknown>;
}

export interface RenderInputs {
  rep: Texts;
  company: Texts;
  contact: Texts;
  customer: Texts;
  fields: Record<string, unknown>;
}

export function renderInputs(source: RenderInputsSource): RenderInputs {
  return {
    rep: source.rep,
    company: source.company,
    contact: { firstName: source.contact?.firstName, lastName: source.contact?.lastName, email: source.contact?.email ?? source.to ?? undefined, title: source.contact?.title },
    customer: { company: source.customer?.name, country: source.customer?.country, city: source.customer?.city },
    fields: source.fields,
  };
}
