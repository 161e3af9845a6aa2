import { useEffect, useRef, useState } from 'react';
import { Badge, Button, Caption1, Field, MessageBar, MessageBarBody, Select, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError } from '../../../client/api-error.js';
import type { ErrorDetail } from '../../../contract/common.js';
import type { Rendered } from '../../../contract/me.js';
import { localized, type FieldError } from '../../../core/template/fields.js';
import { htmlToText } from '../../../core/template/text.js';
import type { LanguageReason } from '../../../core/compose/index.js';
import { itemColumnsOf } from '../../../core/documents/from-template.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { ActionStatus } from '../components.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';
import { useItem } from '../store.js';
import { FieldsForm, initialValues, readForm, type FormValues } from './fields-form.js';
import type { Choice } from './templates-panel.js';

/**
 * One template picked from the list: its fields, a preview, insert (compose) or reply (read), and
 * the quotation and proforma PDFs. Its own chunk, loaded when the pane is idle after the list is on
 * screen (or when a template is picked): the list needs none of the template engine, the form
 * controls or the document code (docs/performance.md, 'Where the task pane's time goes').
 */

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  preview: { width: '100%', minHeight: '14rem', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, background: tokens.colorNeutralBackground1 },
});

type Outcome = { kind: 'inserted'; subjectSet: string | null } | { kind: 'attached'; file: string } | { kind: 'replied' } | { kind: 'preview'; rendered: Rendered } | { kind: 'missing'; missing: ErrorDetail[] };

/** What a button asks for: a preview, the template inserted, or one of the two documents as a PDF attachment. */
type Mode = 'preview' | 'use' | 'quotation' | 'proforma';

export default function TemplateDetail({ choice, purpose, onBack }: { choice: Choice; purpose: 'insert' | 'reply'; onBack: () => void }) {
  const { t, language, client, host } = usePane();
  const styles = useStyles();
  const item = useItem((s) => s.item);
  const { template, pack } = choice;
  const [values, setValues] = useState<FormValues>(() => initialValues(template));
  const [variant, setVariant] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  /** Fields the store found missing: highlighted like the pane's own checks; its list says the rest. */
  const [storeMissing, setStoreMissing] = useState<FieldError[]>([]);
  const [preview, setPreview] = useState<Rendered | null>(null);
  const panel = useRef<HTMLElement>(null);
  /** The first field with a problem gets the cursor: the rep lands where to type. */
  const focusField = (name: string) => {
    const root = name.split('.')[0]!;
    const inputs = [...(panel.current?.querySelectorAll<HTMLElement>('[name]') ?? [])];
    const named = (e: HTMLElement) => e.getAttribute('name') ?? '';
    (inputs.find((e) => named(e) === name) ?? inputs.find((e) => named(e) === root || named(e).startsWith(`${root}.`)))?.focus();
  };

  /** Render through the store (it knows the rep, the company and the recipient); a 422 is the list of missing values, not a failure. */
  const renderNow = async (fields: Record<string, unknown>): Promise<Rendered | ErrorDetail[]> => {
    // Recipients change while the pane is open: ask for them now, not when the pane opened.
    const current = (await host.item().catch(() => item)) ?? item;
    const recipient = current?.mode === 'compose' ? current.to[0]?.address : current?.mode === 'read' ? current.from?.address : undefined;
    // Replying to the buyer's open mail: their own words tell the store the language they wrote in.
    const fromBuyer = current?.mode === 'read' && current.from && current.from.address.toLowerCase() !== host.me().address.toLowerCase();
    const inbound = fromBuyer ? await host.getBodyHtml().then((html) => htmlToText(html).slice(0, 20_000), () => undefined) : undefined;
    try {
      return await client.render({ pack, template: template.id, fields, ...(variant ? { language: variant } : {}), ...(recipient ? { to: recipient } : {}), ...(inbound ? { inbound } : {}) });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'missing_values') return error.details;
      throw error;
    }
  };

  const action = useStoreAction(async (mode: Mode, fields: Record<string, unknown>): Promise<Outcome> => {
    if (mode === 'quotation' || mode === 'proforma') {
      // The store numbers, stores and draws the quotation or PI (bank details from the company profile only); Outlook attaches it.
      const current = (await host.item().catch(() => item)) ?? item;
      const recipient = current?.mode === 'compose' ? current.to[0]?.address : undefined;
      try {
        const made = await client.createDocument({ kind: mode, pack, template: template.id, fields, ...(variant ? { language: variant } : {}), ...(recipient ? { to: recipient } : {}) });
        await host.attachFile!(made.document.fileName, made.pdfBase64);
        return { kind: 'attached', file: made.document.fileName };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'missing_values') return { kind: 'missing', missing: error.details };
        throw error;
      }
    }
    const rendered = await renderNow(fields);
    if (Array.isArray(rendered)) return { kind: 'missing', missing: rendered };
    if (mode === 'preview') {
      setPreview(rendered);
      return { kind: 'preview', rendered };
    }
    if (purpose === 'reply') {
      await host.replyWith(rendered.html);
      void client.recordUse(pack, template.id).catch(() => undefined);
      return { kind: 'replied' };
    }
    await host.insertAtCursor(rendered.html, rendered.text);
    let subjectSet: string | null = null;
    if (rendered.subject && !(await host.getSubject()).trim()) {
      await host.setSubject(rendered.subject);
      subjectSet = rendered.subject;
    }
    // Counting the use ranks the rep's search; losing one count is no reason to bother them.
    void client.recordUse(pack, template.id).catch(() => undefined);
    return { kind: 'inserted', subjectSet };
  });

  // Values the store found missing are marked on their fields like the pane's own checks, and the first is focused.
  useEffect(() => {
    if (action.state.status !== 'done' || action.state.value.kind !== 'missing') return;
    const fieldNames = new Set((template.fields ?? []).map((f) => f.name));
    const missing = action.state.value.missing.filter((m) => fieldNames.has(m.path.split('.')[0]!)).map((m) => ({ field: m.path, message: t('fields.required') }));
    if (missing.length === 0) return;
    setStoreMissing(missing);
    focusField(missing[0]!.field);
  }, [action.state]);

  const title = localized(template.title, language) ?? template.id;
  /** A field's label in the pane's language ("lines.unitPrice": the column's). */
  const labelOf = (name: string) => {
    const [fieldName, columnName] = name.split('.');
    const field = template.fields?.find((f) => f.name === fieldName);
    if (columnName) return localized(field?.columns?.find((c) => c.name === columnName)?.label, language) ?? columnName;
    return localized(field?.label, language) ?? name;
  };

  const go = (mode: Mode) => {
    // Typed text is read as Gmail and the CLI read it, in the locale Office shows the rep.
    const reading = readForm(template, values, host.displayLanguage(), labelOf, t, language === 'en');
    setErrors(reading.errors);
    setStoreMissing([]);
    if (reading.errors.length > 0) {
      // After React has drawn the errors, so the focused field is the highlighted one.
      setTimeout(() => focusField(reading.errors[0]!.field), 0);
      return;
    }
    void action.run(mode, reading.fields);
  };

  return (
    <section ref={panel} className={styles.panel} aria-label={title}>
      <div>
        <Button appearance="subtle" onClick={onBack}>
          ← {t('templates.back')}
        </Button>
      </div>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {template.locked && (
        <div>
          <Badge appearance="outline">{t('templates.locked')}</Badge>
        </div>
      )}
      <Field label={t('templates.language')}>
        <Select value={variant} onChange={(_, d) => setVariant(d.value)}>
          <option value="">{t('templates.languageAuto')}</option>
          {Object.keys(template.variants).map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </Select>
      </Field>
      <FieldsForm template={template} values={values} errors={[...errors, ...storeMissing]} onChange={setValues} />
      {errors.length > 0 && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            {t('templates.invalid')}
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  {labelOf(e.field)}: {e.message}
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button onClick={() => go('preview')}>{t('templates.preview')}</Button>
        <Button appearance="primary" onClick={() => go('use')}>
          {purpose === 'reply' ? t('templates.reply') : t('templates.insert')}
        </Button>
        {/* "Make PDF" next to a quotation: a template with item lines, while writing a message Outlook can attach to. */}
        {purpose === 'insert' && host.attachFile && itemColumnsOf(template) && (
          <>
            <Button onClick={() => go('quotation')}>{t('templates.makeQuotationPdf')}</Button>
            <Button onClick={() => go('proforma')}>{t('templates.makePdf')}</Button>
          </>
        )}
      </div>
      <ActionStatus
        state={action.state}
        onRetry={action.retry}
        done={(outcome) => {
          switch (outcome.kind) {
            case 'missing':
              return (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>
                    {t('templates.blocked')}
                    <ul aria-label={t('templates.blocked')}>
                      {outcome.missing.map((m) => (
                        <li key={m.path}>{m.path === '(template)' ? t('templates.templateBroken') : template.fields?.some((f) => f.name === m.path) ? labelOf(m.path) : (m.label ?? m.path)}</li>
                      ))}
                    </ul>
                  </MessageBarBody>
                </MessageBar>
              );
            case 'inserted':
              return (
                <MessageBar intent="success" role="status">
                  <MessageBarBody>{outcome.subjectSet ? t('templates.insertedSubject', { subject: outcome.subjectSet }) : t('templates.inserted')}</MessageBarBody>
                </MessageBar>
              );
            case 'attached':
              return (
                <MessageBar intent="success" role="status">
                  <MessageBarBody>{t('templates.pdfAttached', { file: outcome.file })}</MessageBarBody>
                </MessageBar>
              );
            case 'replied':
              return (
                <MessageBar intent="success" role="status">
                  <MessageBarBody>{t('templates.replied')}</MessageBarBody>
                </MessageBar>
              );
            default:
              return null;
          }
        }}
      />
      {preview && (
        <section aria-label={t('templates.previewTitle', { subject: preview.subject })}>
          <Subtitle2 as="h3">{t('templates.previewTitle', { subject: preview.subject })}</Subtitle2>
          <Caption1>{t('templates.previewLanguage', { language: preview.language, reason: preview.why ? whyText(t, preview.why) : preview.reason })}</Caption1>
          {/* The store sanitised the HTML; a sandboxed frame (no scripts, its own origin) still keeps it away from the pane. */}
          <iframe className={styles.preview} title={t('templates.preview')} sandbox="" srcDoc={`<!doctype html><meta charset="utf-8"><body style="font:14px system-ui,sans-serif">${preview.html}`} />
        </section>
      )}
    </section>
  );
}

const WHY_KEYS: Record<string, MessageKey> = {
  'rep-pick': 'why.repPick',
  'buyer-wrote': 'why.buyerWrote',
  'contact-language': 'why.contactLanguage',
  'customer-country': 'why.customerCountry',
  'recipient-domain': 'why.recipientDomain',
  'pack-default': 'why.packDefault',
};

/** Why the mail is in its language, in the pane's language (the store answers a code with parameters). */
export function whyText(t: Translate, why: LanguageReason): string {
  if (why.code === 'no-variant') {
    const because = t(WHY_KEYS[why.params.because ?? ''] ?? 'why.packDefault', { ...why.params, language: why.params.wanted ?? '' });
    return t('why.noVariant', { ...why.params, because });
  }
  return t(WHY_KEYS[why.code] ?? 'why.packDefault', why.params);
}
