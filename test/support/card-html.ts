import type { Card, Widget } from '../../src/gmail/cards.js';

/**
 * The Gmail add-on's cards as a rep would see them, for tests only. Gmail cannot be reached from
 * here and no maintained library lays Card v1 JSON out as HTML (Google renders it inside Gmail;
 * the npm packages for cards are Adaptive Cards, Microsoft's other format), so this small renderer
 * draws the widgets the add-on emits — header, sections, decoratedText, textParagraph, textInput,
 * selectionInput, dateTimePicker, buttonList, divider, fixed footer — in a 320 px side panel close
 * to Gmail's look. Card text is put in as Gmail puts it: as the little HTML card text allows (the
 * add-on has already neutralised everything else with plain()). Every action button carries its
 * action as JSON in `data-action`, so a test can press it: read the form, post the event, draw the
 * answer (`formValues` below gives what Gmail would send as formInputs).
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
  body { margin: 0; background: #f6f8fc; font: 14px/20px Roboto, Arial, "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #1f1f1f; }
  .panel { width: 320px; background: #fff; min-height: 100vh; border-left: 1px solid #dadce0; }
  .toast { margin: 8px; padding: 10px 14px; border-radius: 4px; background: #323232; color: #fff; font-size: 13px; }
  .header { padding: 16px 16px 12px; border-bottom: 1px solid #e0e0e0; }
  .header .title { font-size: 16px; font-weight: 500; }
  .header .subtitle { color: #5f6368; font-size: 12px; }
  .section { padding: 8px 16px 12px; border-bottom: 1px solid #e0e0e0; }
  .section > .sheader { color: #5f6368; font-size: 12px; font-weight: 500; letter-spacing: .2px; margin: 4px 0 8px; }
  .widget { margin: 8px 0; }
  .top { color: #5f6368; font-size: 12px; line-height: 16px; }
  .bottom { color: #5f6368; font-size: 12px; line-height: 16px; }
  .decorated { display: flex; gap: 8px; align-items: center; }
  .decorated .texts { flex: 1; min-width: 0; overflow-wrap: anywhere; }
  label.field { display: block; font-size: 12px; color: #5f6368; }
  input[type=text], textarea, select { box-sizing: border-box; width: 100%; font: inherit; padding: 8px; border: 1px solid #80868b; border-radius: 4px; background: #fff; }
  textarea { min-height: 64px; }
  .hint { color: #5f6368; font-size: 12px; }
  .buttons { display: flex; flex-wrap: wrap; gap: 8px; }
  button { font: 500 14px/20px Roboto, Arial, "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #0b57d0; background: #fff; border: 1px solid #747775; border-radius: 18px; padding: 6px 14px; cursor: pointer; }
  button.filled { color: #fff; background: #0b57d0; border-color: #0b57d0; }
  button:disabled { color: #9aa0a6; border-color: #dadce0; }
  hr { border: 0; border-top: 1px solid #e0e0e0; margin: 12px 0; }
  .footer { position: sticky; bottom: 0; display: flex; gap: 8px; justify-content: flex-end; padding: 12px 16px; background: #fff; border-top: 1px solid #e0e0e0; }
  .check { display: flex; gap: 6px; align-items: center; }
`;

type CardButton = NonNullable<NonNullable<Widget['buttonList']>['buttons']>[number];

function buttonHtml(b: CardButton, filled = false): string {
  const action = b.onClick?.action;
  const link = b.onClick?.openLink?.url;
  const data = action ? ` data-action="${esc(JSON.stringify({ function: action.function, parameters: action.parameters ?? [] }))}"` : link ? ` data-link="${esc(link)}"` : '';
  return `<button type="button"${filled ? ' class="filled"' : ''}${b.disabled ? ' disabled' : ''}${data}>${b.text ?? ''}</button>`;
}

function widgetHtml(w: Widget): string {
  if (w.textParagraph) return `<div class="widget">${w.textParagraph.text ?? ''}</div>`;
  if (w.decoratedText) {
    const d = w.decoratedText;
    return `<div class="widget decorated"><div class="texts">${d.topLabel ? `<div class="top">${d.topLabel}</div>` : ''}<div>${d.text ?? ''}</div>${d.bottomLabel ? `<div class="bottom">${d.bottomLabel}</div>` : ''}</div>${d.button ? buttonHtml(d.button) : ''}</div>`;
  }
  if (w.textInput) {
    const i = w.textInput;
    const name = esc(i.name ?? '');
    const field = i.type === 'MULTIPLE_LINE' ? `<textarea name="${name}" aria-label="${i.label ?? ''}">${esc(i.value ?? '')}</textarea>` : `<input type="text" name="${name}" aria-label="${i.label ?? ''}" value="${esc(i.value ?? '')}">`;
    return `<div class="widget"><label class="field">${i.label ?? ''}</label>${field}${i.hintText ? `<div class="hint">${i.hintText}</div>` : ''}</div>`;
  }
  if (w.selectionInput) {
    const s = w.selectionInput;
    const name = esc(s.name ?? '');
    if (s.type === 'CHECK_BOX' || s.type === 'SWITCH' || s.type === 'RADIO_BUTTON') {
      const kind = s.type === 'RADIO_BUTTON' ? 'radio' : 'checkbox';
      return `<div class="widget"><label class="field">${s.label ?? ''}</label>${(s.items ?? []).map((it) => `<label class="check"><input type="${kind}" name="${name}" value="${esc(it.value ?? '')}"${it.selected ? ' checked' : ''}>${it.text ?? ''}</label>`).join('')}</div>`;
    }
    return `<div class="widget"><label class="field">${s.label ?? ''}</label><select name="${name}" aria-label="${s.label ?? ''}">${(s.items ?? []).map((it) => `<option value="${esc(it.value ?? '')}"${it.selected ? ' selected' : ''}>${it.text ?? ''}</option>`).join('')}</select></div>`;
  }
  if (w.dateTimePicker) {
    const p = w.dateTimePicker;
    return `<div class="widget"><label class="field">${p.label ?? ''}</label><input type="text" name="${esc(p.name ?? '')}" aria-label="${p.label ?? ''}" value="${p.valueMsEpoch ? new Date(Number(p.valueMsEpoch)).toISOString().slice(0, 16).replace('T', ' ') : ''}"></div>`;
  }
  if (w.buttonList) return `<div class="widget buttons">${(w.buttonList.buttons ?? []).map((b) => buttonHtml(b)).join('')}</div>`;
  if (w.divider) return '<hr>';
  // A widget this renderer does not know is shown as such, never silently dropped.
  return `<div class="widget" data-unknown-widget>${esc(Object.keys(w).join(','))}</div>`;
}

/** A whole HTML page showing the card in Gmail's side panel, with a notification on top when given. */
export function cardToHtml(card: Card, options: { notification?: string | undefined; lang?: string } = {}): string {
  const header = card.header ? `<div class="header"><div class="title">${card.header.title ?? ''}</div>${card.header.subtitle ? `<div class="subtitle">${card.header.subtitle}</div>` : ''}</div>` : '';
  const sections = (card.sections ?? []).map((s) => `<div class="section">${s.header ? `<div class="sheader">${s.header}</div>` : ''}${(s.widgets ?? []).map(widgetHtml).join('')}</div>`).join('');
  const f = card.fixedFooter;
  const footer = f ? `<div class="footer">${f.secondaryButton ? buttonHtml(f.secondaryButton) : ''}${f.primaryButton ? buttonHtml(f.primaryButton, true) : ''}</div>` : '';
  const toast = options.notification ? `<div class="toast" role="status">${esc(options.notification)}</div>` : '';
  return `<!doctype html><html lang="${esc(options.lang ?? 'en')}"><head><meta charset="utf-8"><style>${CSS}</style></head><body><div class="panel">${toast}${header}${sections}${footer}</div></body></html>`;
}

/** In the page: the named form inputs as Gmail sends them (`formInputs`: every value a string list). */
export const FORM_VALUES_SCRIPT = `(() => {
  const out = {};
  for (const el of document.querySelectorAll('input[name], textarea[name], select[name]')) {
    if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
    (out[el.name] ??= []).push(el.value);
  }
  return out;
})()`;
