import { Button, Field, Input, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { PackField, PackTemplate } from '../../../core/pack/schema.js';
import { applyFieldDefaults, checkFieldValues, localized, type FieldError } from '../../../core/template/fields.js';
import { parseFieldInput, type FieldInputError, type InputField } from '../../../core/compose/index.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { usePane } from '../pane-context.js';
import { choiceMeaning, choiceText } from '../../../core/compose/choice-meaning.js';

/**
 * The typed fields of a template as a form: text, numbers, money, dates, choices and line items.
 * Values stay as typed (strings) while the rep edits; `readForm` reads them with the compose
 * core's `parseFieldInput` in the rep's locale (exactly as Gmail's card and the CLI read typed
 * text) into what the store's render takes, then runs the core's own field checks.
 */

type Column = NonNullable<PackField['columns']>[number];
export interface Money {
  amount: string;
  currency: string;
}
export type Cell = string | Money;
export type Row = Record<string, Cell>;
export type FormValue = string | Money | Row[];
export type FormValues = Record<string, FormValue>;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  money: { display: 'flex', gap: tokens.spacingHorizontalS },
  currency: { width: '6em' },
  lines: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  line: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, padding: tokens.spacingHorizontalS, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  cell: { display: 'flex', flexDirection: 'column', gap: '2px' },
  cellLabel: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  // A native select is as wide as its longest option ("FOB — 船上交货：卖方在装运港…"): held to the pane's width, the chosen text cut with an ellipsis.
  choice: { minWidth: 0, maxWidth: '100%', '& > select': { minWidth: 0, textOverflow: 'ellipsis' } },
});

const emptyCell = (column: Column): Cell => (column.type === 'money' ? { amount: '', currency: column.currency ?? '' } : '');
const emptyRow = (columns: Column[]): Row => Object.fromEntries(columns.map((c) => [c.name, emptyCell(c)]));

/** The form's first state: the pack's defaults ("+30d" resolved to a date), blanks elsewhere. */
export function initialValues(template: PackTemplate, now = new Date()): FormValues {
  const defaults = applyFieldDefaults(template, {}, { now, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  const values: FormValues = {};
  for (const field of template.fields ?? []) {
    const given = defaults[field.name];
    if (field.type === 'lines') values[field.name] = [emptyRow(field.columns ?? [])];
    else if (field.type === 'money') values[field.name] = { amount: given === undefined ? '' : String(given), currency: field.currency ?? '' };
    else values[field.name] = given === undefined ? '' : String(given);
  }
  return values;
}

/** Error codes the pane words itself; the others are "cannot read" in a non-English pane, the core's English in the English one. */
const INPUT_KEYS: Partial<Record<FieldInputError['code'], MessageKey>> = {
  'ambiguous-number': 'input.ambiguousNumber',
  'no-currency': 'input.noCurrency',
  'ambiguous-date': 'input.ambiguousDate',
  'impossible-date': 'input.impossibleDate',
  'not-a-number': 'input.notANumber',
};

function inputMessage(error: FieldInputError, t: Translate | undefined, english: boolean): string {
  const key = INPUT_KEYS[error.code] ?? (english ? undefined : 'input.unreadable');
  if (t && key) return t(key, error.params);
  // The core names the field first ("Unit price: …"); the form shows the label already.
  return error.message.startsWith(`${error.label}: `) ? error.message.slice(error.label.length + 2) : error.message;
}

export interface FormReading {
  fields: Record<string, unknown>;
  errors: FieldError[];
}

/**
 * Form state → the `fields` of a render request, every typed value read by the compose core in
 * `inputLocale` (Office's display language); blank stays blank (missing, not invalid). What the
 * core cannot read is an error on that field, worded by `t` where the pane has words for it.
 */
export function readForm(template: PackTemplate, values: FormValues, inputLocale: string, labelOf: (name: string) => string = (n) => n, t?: Translate, english = true): FormReading {
  const fields: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const read = (spec: InputField, cell: Cell, label: string, at: string): unknown => {
    const money = typeof cell === 'string' ? undefined : cell;
    const text = money ? money.amount : (cell as string);
    // Text, choices, e-mails and links go to the core's checks as typed.
    if (!['number', 'money', 'date'].includes(spec.type)) return text;
    const result = parseFieldInput(money ? { ...spec, currency: money.currency.trim().toUpperCase() || spec.currency } : spec, text, inputLocale, label);
    if (result.ok) return result.value;
    errors.push({ field: spec.name, message: `${at}${inputMessage(result.error, t, english)}` });
    return undefined;
  };
  for (const field of template.fields ?? []) {
    const value = values[field.name];
    if (value === undefined) continue;
    if (field.type === 'lines') {
      const rows = Array.isArray(value) ? value : [];
      fields[field.name] = rows.map((row, index) =>
        Object.fromEntries(
          (field.columns ?? []).map((column) => {
            const cell = row[column.name] ?? '';
            const v = read({ name: field.name, type: column.type, currency: column.currency }, cell, labelOf(`${field.name}.${column.name}`), `${t ? t('fields.line', { n: index + 1 }) : `line ${index + 1}`}: `);
            return [column.name, v === undefined ? (typeof cell === 'string' ? cell : cell.amount) : v];
          }),
        ),
      );
      continue;
    }
    if (Array.isArray(value)) continue;
    const v = read(field, value, labelOf(field.name), '');
    fields[field.name] = v === undefined ? (typeof value === 'string' ? value : value.amount) : v;
  }
  const unread = new Set(errors.map((e) => e.field));
  // The core's checks on what was read (choices, e-mails, links, rows), once per field.
  errors.push(...checkFieldValues(template, fields).errors.filter((e) => !unread.has(e.field)));
  return { fields, errors };
}

/** The core's checks on what was typed (numbers, money, dates, choices, e-mails, links, rows). */
export function checkForm(template: PackTemplate, values: FormValues, inputLocale = 'en', t?: Translate): FieldError[] {
  return readForm(template, values, inputLocale, undefined, t).errors;
}

export function FieldsForm({ template, values, errors, onChange }: { template: PackTemplate; values: FormValues; errors: FieldError[]; onChange: (values: FormValues) => void }) {
  const { t, language } = usePane();
  const styles = useStyles();
  const label = (f: { name: string; label?: PackField['label'] }) => localized(f.label, language) ?? f.name;
  const errorOf = (name: string) => errors.filter((e) => e.field === name).map((e) => e.message).join('; ') || undefined;
  const set = (name: string, value: FormValue) => onChange({ ...values, [name]: value });

  return (
    <div className={styles.form} role="group" aria-label={t('fields.title')}>
      {(template.fields ?? []).map((field) => {
        const value = values[field.name];
        const error = errorOf(field.name);
        const common = {
          label: label(field),
          required: Boolean(field.required),
          // A chosen payment term or Incoterm says what it means; the pack's help shows until then, never beside another choice.
          hint: (field.type === 'choice' && typeof value === 'string' && value ? choiceMeaning(value, language) : undefined) ?? localized(field.help, language),
          validationMessage: error,
          validationState: error ? ('error' as const) : ('none' as const),
        };
        if (field.type === 'lines') {
          const rows = Array.isArray(value) ? value : [];
          return (
            <Field key={field.name} {...common}>
              <LinesInput field={field} rows={rows} onChange={(next) => set(field.name, next)} />
            </Field>
          );
        }
        return (
          <Field key={field.name} {...common}>
            <ScalarInput type={field.type} options={field.options} currency={field.currency} value={typeof value === 'string' || (value && !Array.isArray(value)) ? value : ''} onChange={(next) => set(field.name, next)} name={field.name} classes={styles} />
          </Field>
        );
      })}
    </div>
  );
}

function ScalarInput({ type, options, currency, value, onChange, name, classes, ariaLabel }: {
  type: PackField['type'] | Column['type'];
  options?: string[] | undefined;
  currency?: string | undefined;
  value: Cell;
  onChange: (value: Cell) => void;
  name: string;
  classes: { money: string; currency: string; choice: string };
  ariaLabel?: string;
}) {
  const { t, language } = usePane();
  const text = typeof value === 'string' ? value : '';
  const aria = ariaLabel ? { 'aria-label': ariaLabel } : {};
  switch (type) {
    case 'textarea':
      return <Textarea name={name} value={text} onChange={(_, d) => onChange(d.value)} resize="vertical" {...aria} />;
    case 'number':
      return <Input name={name} type="text" inputMode="decimal" value={text} onChange={(_, d) => onChange(d.value)} {...aria} />;
    case 'date':
      return <Input name={name} type="date" value={text} onChange={(_, d) => onChange(d.value)} {...aria} />;
    case 'email':
      return <Input name={name} type="email" value={text} onChange={(_, d) => onChange(d.value)} {...aria} />;
    case 'url':
      return <Input name={name} type="url" value={text} onChange={(_, d) => onChange(d.value)} {...aria} />;
    case 'choice':
      return (
        <Select className={classes.choice} name={name} value={text} onChange={(_, d) => onChange(d.value)} {...aria}>
          <option value="">{t('fields.choose')}</option>
          {(options ?? []).map((o) => (
            <option key={o} value={o}>
              {choiceText(o, language)}
            </option>
          ))}
        </Select>
      );
    case 'money': {
      const money = typeof value === 'string' ? { amount: value, currency: currency ?? '' } : value;
      return (
        <span className={classes.money}>
          <Input name={name} inputMode="decimal" aria-label={`${ariaLabel ?? ''} ${t('fields.amount')}`.trim()} value={money.amount} onChange={(_, d) => onChange({ ...money, amount: d.value })} />
          <Input
            className={classes.currency}
            aria-label={`${ariaLabel ?? ''} ${t('fields.currency')}`.trim()}
            value={money.currency}
            readOnly={Boolean(currency)}
            maxLength={3}
            onChange={(_, d) => onChange({ ...money, currency: d.value.toUpperCase() })}
          />
        </span>
      );
    }
    default:
      return <Input name={name} value={text} onChange={(_, d) => onChange(d.value)} {...aria} />;
  }
}

function LinesInput({ field, rows, onChange }: { field: PackField; rows: Row[]; onChange: (rows: Row[]) => void }) {
  const { t, language } = usePane();
  const styles = useStyles();
  const columns = field.columns ?? [];
  return (
    <div className={styles.lines}>
      {rows.map((row, index) => {
        const n = index + 1;
        return (
          <fieldset key={index} className={styles.line} aria-label={t('fields.line', { n })}>
            {columns.map((column) => {
              const columnLabel = `${localized(column.label, language) ?? column.name} (${t('fields.line', { n })})`;
              // A visible label on every cell; the accessible name (aria-label) also says which line.
              return (
                <label key={column.name} className={styles.cell}>
                  <span className={styles.cellLabel}>{localized(column.label, language) ?? column.name}</span>
                  <ScalarInput
                    name={`${field.name}.${index}.${column.name}`}
                    type={column.type}
                    currency={column.currency}
                    value={row[column.name] ?? emptyCell(column)}
                    onChange={(cell) => onChange(rows.map((r, i) => (i === index ? { ...r, [column.name]: cell } : r)))}
                    classes={styles}
                    ariaLabel={columnLabel}
                  />
                </label>
              );
            })}
            {rows.length > 1 && (
              <Button size="small" appearance="subtle" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                {t('fields.removeLine', { n })}
              </Button>
            )}
          </fieldset>
        );
      })}
      <Button size="small" onClick={() => onChange([...rows, emptyRow(columns)])}>
        {t('fields.addLine')}
      </Button>
    </div>
  );
}

